/**
 * Admission webhooks, as k8s.io/apiserver/pkg/admission/plugin/webhook: the ValidatingWebhookConfigurations and
 * MutatingWebhookConfigurations are read on each write, the webhooks whose rules, namespace and object selectors
 * match are sent an AdmissionReview (v1, or v1beta1 when listed first) over TLS verified with their caBundle, the
 * mutating ones first (in name order, their JSON patches applied, reinvoked once when asked), then the validating
 * ones. A denial is the apiserver's "admission webhook ... denied the request" error; a call that fails follows the
 * webhook's failurePolicy.
 */
package io.minicluster.apiserver.webhook;
