/**
 * A reusable Netty SOCKS4/4a/5 and HTTP gateway (CONNECT and plain forward proxying on the same port) with a
 * pluggable destination policy and name resolver.
 *
 * <p>What an embedding application plugs in:
 * <ul>
 *   <li>{@link io.minicluster.socks.resolve.NameResolver}: names to addresses; several addresses for one name
 *       ({@link io.minicluster.socks.resolve.Resolution#resolved(java.util.List)}) are balanced per connection;</li>
 *   <li>{@link io.minicluster.socks.policy.DestinationPolicy}: allow or refuse each destination; a virtual
 *       destination may be mapped to real ones
 *       ({@link io.minicluster.socks.policy.PolicyDecision#allowVia(java.util.List, String)}), one picked at random
 *       per connection, the next tried if it refuses;</li>
 *   <li>{@link io.minicluster.socks.StatusPageExtension}: sections of the status page (entries with links and
 *       not-ready reasons), with {@link io.minicluster.socks.GatewayConfig.Builder#statusPageTitle(String)};</li>
 *   <li>{@link io.minicluster.socks.GatewayConfig.Builder#localName(String)}: names the PAC file and status page
 *       answer to besides IP literals, localhost and the host name (DNS-rebinding defence).</li>
 * </ul>
 * Established relays have no idle timeout unless one is configured; TCP keepalive
 * ({@link io.minicluster.socks.TcpKeepAlive}) runs on both legs.
 */
package io.minicluster.socks;
