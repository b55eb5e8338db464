package io.minicluster.agent;

/**
 * Why a container of the pod spec waits, as one sync decided it (a back-off, an image or config error); the pod status
 * reports it as the container's {@code state.waiting}.
 */
record ContainerWaiting(String reason, String message) {}
