/**
 * The service proxy on the host, with kube-proxy's iptables semantics: {@link io.minicluster.proxy.ProxyRules}
 * computes one desired rule set from services, endpoint slices and the node's addresses (a pure function), {@link
 * io.minicluster.proxy.IptablesApplier} applies it with one {@code iptables-restore --noflush} per sync on the host's
 * backend (legacy or nft), {@link io.minicluster.proxy.SyncRunner} batches changes like kube-proxy's minimum sync
 * period, and {@link io.minicluster.proxy.ServiceProxy} ties them to the shared informers. Every chain is ours
 * ({@value io.minicluster.proxy.Chains#PREFIX}...), every rule comment-tagged. Reads only through {@code client}
 * informers and {@code api} records.
 */
package io.minicluster.proxy;
