package io.minicluster.apiserver.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** Sends an AdmissionReview to a webhook's clientConfig (url or service) and returns the response body. */
public interface WebhookClient {
  /**
   * @param clientConfig the webhook's clientConfig
   * @param body the encoded AdmissionReview
   * @param timeout the webhook's timeoutSeconds
   * @throws CallFailure when the webhook could not be called or answered with an error
   */
  byte[] post(JsonNode clientConfig, byte[] body, Duration timeout) throws CallFailure;

  /** A failed call; the message is Go's error text after {@code Post "url": }, e.g. "context deadline exceeded". */
  final class CallFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public CallFailure(String message) {
      super(message);
    }
  }
}
