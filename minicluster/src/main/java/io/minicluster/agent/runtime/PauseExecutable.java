package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Generates the sandbox's "pause" program without a compiler: a minimal static Linux ELF64 executable (one PT_LOAD
 * segment, no sections) whose code sleeps forever in a loop. x86-64 loops on {@code pause()} (syscall 34); aarch64,
 * which has no {@code pause}, loops on {@code ppoll(NULL, 0, NULL, NULL, 0)} (syscall 73), which blocks the same way.
 *
 * <p>As PID 1 of its PID namespace without signal handlers the program ignores SIGTERM: sandboxes are stopped with
 * SIGKILL. It does not reap zombies (only matters with {@code shareProcessNamespace}).
 */
public final class PauseExecutable {
  /** Virtual address the file is loaded at. */
  static final long LOAD_ADDRESS = 0x400000L;
  static final int ELF_HEADER_SIZE = 64;
  static final int PROGRAM_HEADER_SIZE = 56;
  static final int CODE_OFFSET = ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE;
  static final short MACHINE_X86_64 = 62;
  static final short MACHINE_AARCH64 = 183;

  /** {@code loop: mov eax, 34; syscall; jmp loop}. */
  static final byte[] X86_64_CODE = {
    (byte) 0xb8, 0x22, 0x00, 0x00, 0x00, // mov eax, 34 (pause)
    0x0f, 0x05, // syscall
    (byte) 0xeb, (byte) 0xf7 // jmp -9 (back to mov)
  };

  /** {@code loop: mov x0..x4, #0; mov x8, #73; svc #0; b loop}, little-endian 32-bit words. */
  static final int[] AARCH64_CODE = {
    0xd2800000, // mov x0, #0   (fds = NULL)
    0xd2800001, // mov x1, #0   (nfds = 0)
    0xd2800002, // mov x2, #0   (timeout = NULL: forever)
    0xd2800003, // mov x3, #0   (sigmask = NULL)
    0xd2800004, // mov x4, #0   (sigsetsize)
    0xd2800928, // mov x8, #73  (ppoll)
    0xd4000001, // svc #0
    0x17fffff9 // b -7 instructions (back to the first mov)
  };

  /** Target architectures. */
  public enum Architecture {
    X86_64("amd64"),
    AARCH64("arm64");

    private final String kubernetesName;

    Architecture(String kubernetesName) {
      this.kubernetesName = kubernetesName;
    }

    /** The OCI/Kubernetes name ("amd64", "arm64"). */
    public String ociName() {
      return kubernetesName;
    }

    /**
     * The architecture for an engine's architecture string ("x86_64", "amd64", "aarch64", "arm64").
     *
     * @throws ContainerRuntimeException for any other architecture
     */
    public static Architecture fromEngine(String name) {
      requireNonNull(name, "name is null");
      switch (name) {
        case "x86_64":
        case "amd64":
          return X86_64;
        case "aarch64":
        case "arm64":
          return AARCH64;
        default:
          throw new ContainerRuntimeException(
              "cannot build a local pause image for architecture " + name + " (only x86_64 and aarch64)");
      }
    }
  }

  private PauseExecutable() {}

  /** The executable's bytes for {@code architecture}. */
  public static byte[] generate(Architecture architecture) {
    requireNonNull(architecture, "architecture is null");
    byte[] code = code(architecture);
    int size = CODE_OFFSET + code.length;
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    // e_ident
    buffer.put(new byte[] {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little-endian */, 1 /* version */, 0 /* SysV */});
    buffer.put(new byte[8]);
    buffer.putShort((short) 2); // e_type: ET_EXEC
    buffer.putShort(architecture == Architecture.X86_64 ? MACHINE_X86_64 : MACHINE_AARCH64);
    buffer.putInt(1); // e_version
    buffer.putLong(LOAD_ADDRESS + CODE_OFFSET); // e_entry
    buffer.putLong(ELF_HEADER_SIZE); // e_phoff
    buffer.putLong(0); // e_shoff: no sections
    buffer.putInt(0); // e_flags
    buffer.putShort((short) ELF_HEADER_SIZE); // e_ehsize
    buffer.putShort((short) PROGRAM_HEADER_SIZE); // e_phentsize
    buffer.putShort((short) 1); // e_phnum
    buffer.putShort((short) 64); // e_shentsize
    buffer.putShort((short) 0); // e_shnum
    buffer.putShort((short) 0); // e_shstrndx
    // program header: the whole file, readable and executable
    buffer.putInt(1); // p_type: PT_LOAD
    buffer.putInt(5); // p_flags: PF_R | PF_X
    buffer.putLong(0); // p_offset
    buffer.putLong(LOAD_ADDRESS); // p_vaddr
    buffer.putLong(LOAD_ADDRESS); // p_paddr
    buffer.putLong(size); // p_filesz
    buffer.putLong(size); // p_memsz
    buffer.putLong(architecture == Architecture.X86_64 ? 0x1000 : 0x10000); // p_align
    buffer.put(code);
    return buffer.array();
  }

  static byte[] code(Architecture architecture) {
    if (architecture == Architecture.X86_64) {
      return X86_64_CODE.clone();
    }
    ByteBuffer buffer = ByteBuffer.allocate(AARCH64_CODE.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int word : AARCH64_CODE) {
      buffer.putInt(word);
    }
    return buffer.array();
  }
}
