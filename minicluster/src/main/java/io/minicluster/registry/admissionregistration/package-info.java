/**
 * admissionregistration.k8s.io/v1, as pkg/registry/admissionregistration: the webhook configurations
 * (ValidatingWebhookConfiguration, MutatingWebhookConfiguration) and the validating admission policies with their
 * bindings, defaulted and validated as pkg/apis/admissionregistration/v1 and .../validation do. Calling the webhooks is
 * {@code registry.admission.webhook}.
 */
package io.minicluster.registry.admissionregistration;
