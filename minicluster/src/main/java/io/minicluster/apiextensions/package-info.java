/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1): the read model of a definition, its validation, and the
 * catalog of the custom resources the API serves from the established definitions. Builds on {@code api} and
 * {@code json} only: the registry, the API server and the controllers all read it.
 */
package io.minicluster.apiextensions;
