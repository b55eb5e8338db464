/** A reusable Netty SOCKS4/4a/5 gateway with a pluggable destination policy and name resolver. */
package io.minicluster.socks;
