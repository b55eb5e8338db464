package io.minicluster.dns;

/** DNS record types, classes, opcodes and response codes this package uses (RFC 1035, 2782, 3596, 6891). */
final class RecordTypes {
  static final int A = 1;
  static final int NS = 2;
  static final int CNAME = 5;
  static final int SOA = 6;
  static final int PTR = 12;
  static final int MX = 15;
  static final int TXT = 16;
  static final int AAAA = 28;
  static final int SRV = 33;
  static final int OPT = 41;
  static final int IXFR = 251;
  static final int AXFR = 252;

  static final int CLASS_IN = 1;

  static final int OPCODE_QUERY = 0;

  static final int NOERROR = 0;
  static final int FORMERR = 1;
  static final int SERVFAIL = 2;
  static final int NXDOMAIN = 3;
  static final int NOTIMP = 4;
  static final int REFUSED = 5;
  /** Extended (EDNS) response code: 16, of which the header carries the low 4 bits (0) and OPT the high 8 (1). */
  static final int BADVERS = 16;

  private RecordTypes() {
  }
}
