package io.minicluster.agent.simulated;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.Ipv4Cidr;
import java.util.BitSet;

/**
 * The pod IPs of a pod CIDR, handed out as the host-local IPAM plugin does: the network address, the gateway (the first
 * host address) and the broadcast address are never given, and the next address is searched from after the last one
 * given (so an address just released is not handed out again before the others). One bit per address.
 */
final class PodAddressPool {
  private final Ipv4Cidr cidr;
  /** Addresses in use, by offset from the network address. */
  private final BitSet used;
  private final int size;
  private int next;

  PodAddressPool(Ipv4Cidr cidr) {
    this.cidr = requireNonNull(cidr, "cidr is null");
    this.size = 1 << (32 - cidr.prefixLength());
    this.used = new BitSet(size);
    // the network address, the gateway and the broadcast address
    used.set(0);
    used.set(1);
    used.set(size - 1);
    this.next = 2;
  }

  /** How many pod addresses the CIDR has (the network, gateway and broadcast addresses left out). */
  long capacity() {
    return size - 3L;
  }

  /** A free address, now in use; empty when none is left. */
  synchronized String allocate() {
    int offset = used.nextClearBit(next);
    if (offset >= size) {
      offset = used.nextClearBit(0);
      if (offset >= size) {
        return "";
      }
    }
    used.set(offset);
    next = offset + 1;
    return Ipv4Cidr.format(cidr.address() + offset);
  }

  /**
   * Marks an address in use (a pod's that the node already runs); false when it is in use already or not a pod
   * address of the CIDR.
   */
  synchronized boolean reserve(String address) {
    int offset = offset(address);
    if (offset <= 1 || offset >= size - 1 || used.get(offset)) {
      return false;
    }
    used.set(offset);
    return true;
  }

  /** Gives an address back; addresses of other networks are ignored. */
  synchronized void release(String address) {
    int offset = offset(address);
    if (offset > 1 && offset < size - 1) {
      used.clear(offset);
    }
  }

  /** How many addresses are in use by pods. */
  synchronized int inUse() {
    return used.cardinality() - 3;
  }

  private int offset(String address) {
    try {
      return cidr.contains(address) ? (int) (Ipv4Cidr.parseAddress(address) - cidr.address()) : -1;
    } catch (IllegalArgumentException notIpv4) {
      return -1;
    }
  }
}
