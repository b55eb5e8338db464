package io.minicluster.agent.streams;

/**
 * A pod log request's options as the client gave them; numbers and times stay text so that the service checks them
 * with the API server's messages.
 *
 * @param container the container named, null or empty for the default one
 * @param previous the instance before the current one
 * @param follow keep streaming until the container stops
 * @param timestamps prefix each line with its timestamp
 * @param tailLines the last N lines, null for all
 * @param sinceSeconds only lines newer than this many seconds, null for all
 * @param sinceTime only lines at or after this RFC 3339 time, null for all
 * @param limitBytes stop after this many bytes, null for no limit
 */
public record LogRequest(String container, boolean previous, boolean follow, boolean timestamps, String tailLines,
    String sinceSeconds, String sinceTime, String limitBytes) {
}
