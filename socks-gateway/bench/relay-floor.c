/*
 * relay-floor: the least a SOCKS5 relay can cost on this machine, as a reference row in bench/run.sh (not a
 * product, not a peer). No authentication, CONNECT to an IPv4 address (or an IPv4 literal sent as a name), no
 * policy, no logging. One thread per connection running a poll() loop over both sockets, half-close passed on.
 *   copy mode:   read() into a 64 KiB buffer, write() it out (what any user-space relay does)
 *   splice mode: splice() socket -> pipe -> socket, so the bytes never enter user space (zero-copy)
 * Usage: relay-floor PORT copy|splice      (listens on 127.0.0.1 only)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int use_splice;

static int read_exactly(int fd, unsigned char *buffer, int length) {
  int done = 0;
  while (done < length) {
    ssize_t n = read(fd, buffer + done, length - done);
    if (n <= 0) return -1;
    done += n;
  }
  return 0;
}

static int write_all(int fd, const char *buffer, ssize_t length) {
  while (length > 0) {
    ssize_t n = write(fd, buffer, length);
    if (n <= 0) return -1;
    buffer += n;
    length -= n;
  }
  return 0;
}

/* Moves what is readable on `in` to `out`; returns 0 at end of input, -1 on error, else 1. */
static int pump(int in, int out, char *buffer, int pipe_fds[2]) {
  if (!use_splice) {
    ssize_t n = read(in, buffer, 65536);
    if (n <= 0) return n == 0 ? 0 : -1;
    return write_all(out, buffer, n) == 0 ? 1 : -1;
  }
  ssize_t n = splice(in, NULL, pipe_fds[1], NULL, 1 << 20, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
  if (n <= 0) return n == 0 ? 0 : -1;
  while (n > 0) {
    ssize_t m = splice(pipe_fds[0], NULL, out, NULL, n, SPLICE_F_MOVE);
    if (m <= 0) return -1;
    n -= m;
  }
  return 1;
}

static void relay(int client, int upstream) {
  struct pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
  int peers[2] = {upstream, client};
  int pipes[2][2] = {{-1, -1}, {-1, -1}};
  char *buffer = use_splice ? NULL : malloc(65536);
  for (int i = 0; use_splice && i < 2; i++) {
    if (pipe(pipes[i]) != 0) goto done;
    fcntl(pipes[i][0], F_SETPIPE_SZ, 1 << 20);
  }
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (poll(fds, 2, -1) <= 0) break;
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      int result = pump(fds[i].fd, peers[i], buffer, pipes[i]);
      if (result < 0) goto done;
      if (result == 0) {
        shutdown(peers[i], SHUT_WR);
        fds[i].fd = -1;
      }
    }
  }
done:
  for (int i = 0; i < 2; i++) {
    if (pipes[i][0] >= 0) close(pipes[i][0]);
    if (pipes[i][1] >= 0) close(pipes[i][1]);
  }
  free(buffer);
}

static void *serve(void *argument) {
  int client = (int)(long)argument;
  unsigned char b[262];
  static const char refused[] = {5, 5, 0, 1, 0, 0, 0, 0, 0, 0};
  static const char succeeded[] = {5, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  struct sockaddr_in destination = {.sin_family = AF_INET};
  if (read_exactly(client, b, 2) || read_exactly(client, b + 2, b[1]) || write_all(client, "\5\0", 2)) goto out;
  if (read_exactly(client, b, 4) || b[1] != 1) goto out;
  if (b[3] == 1) {
    if (read_exactly(client, (unsigned char *)&destination.sin_addr, 4)) goto out;
  } else if (b[3] == 3) {
    if (read_exactly(client, b, 1)) goto out;
    int length = b[0];
    if (read_exactly(client, b, length)) goto out;
    b[length] = 0;
    if (inet_pton(AF_INET, (char *)b, &destination.sin_addr) != 1) goto out;
  } else {
    goto out;
  }
  if (read_exactly(client, (unsigned char *)&destination.sin_port, 2)) goto out;
  int upstream = socket(AF_INET, SOCK_STREAM, 0), on = 1;
  setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  setsockopt(upstream, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (connect(upstream, (struct sockaddr *)&destination, sizeof destination) != 0) {
    write_all(client, refused, sizeof refused);
  } else if (write_all(client, succeeded, sizeof succeeded) == 0) {
    relay(client, upstream);
  }
  close(upstream);
out:
  close(client);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[2], "copy") != 0 && strcmp(argv[2], "splice") != 0)) {
    fprintf(stderr, "usage: %s PORT copy|splice\n", argv[0]);
    return 2;
  }
  use_splice = strcmp(argv[2], "splice") == 0;
  signal(SIGPIPE, SIG_IGN);
  int listener = socket(AF_INET, SOCK_STREAM, 0), on = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1024) != 0) {
    perror("relay-floor: listen");
    return 1;
  }
  pthread_attr_t detached;
  pthread_attr_init(&detached);
  pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
  for (;;) {
    int client = accept(listener, NULL, NULL);
    pthread_t thread;
    if (client >= 0 && pthread_create(&thread, &detached, serve, (void *)(long)client) != 0) close(client);
  }
}
