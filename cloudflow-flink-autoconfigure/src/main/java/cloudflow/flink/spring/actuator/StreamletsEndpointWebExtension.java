package cloudflow.flink.spring.actuator;

import cloudflow.flink.StreamletControlException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP side of {@link StreamletsEndpoint}: an unknown streamlet is 404, an action that does not
 * fit the streamlet's state 409 (Conflict), an action Flink could not carry out 500, each with a
 * message that says why and what to do.
 */
@EndpointWebExtension(endpoint = StreamletsEndpoint.class)
public class StreamletsEndpointWebExtension {

  /** 409 Conflict, which {@link WebEndpointResponse} has no constant for. */
  static final int STATUS_CONFLICT = 409;

  private final StreamletsEndpoint endpoint;

  /** @param endpoint the endpoint this extends */
  public StreamletsEndpointWebExtension(StreamletsEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** One streamlet, or 404 with the names this process runs. */
  @ReadOperation
  public WebEndpointResponse<OperationResponseBody> streamlet(@Selector String name) {
    OperationResponseBody streamlet = endpoint.streamlet(name);
    return streamlet != null ? new WebEndpointResponse<>(streamlet) : refused(new StreamletControlException.UnknownStreamlet(
        "This process runs no streamlet '" + name + "'; it runs " + endpoint.streamlets().streamlets().keySet()));
  }

  /** {@link StreamletsEndpoint#act}, with the status of a refused action. */
  @WriteOperation
  public WebEndpointResponse<OperationResponseBody> act(@Selector String name, String action) {
    try {
      return new WebEndpointResponse<>(endpoint.act(name, action));
    } catch (StreamletControlException e) {
      return refused(e);
    }
  }

  private static WebEndpointResponse<OperationResponseBody> refused(StreamletControlException e) {
    int status;
    if (e instanceof StreamletControlException.UnknownStreamlet) {
      status = WebEndpointResponse.STATUS_NOT_FOUND;
    } else if (e instanceof StreamletControlException.Conflict) {
      status = STATUS_CONFLICT;
    } else {
      status = WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
    }
    return new WebEndpointResponse<>(new Refusal(status, e.getMessage()), status);
  }

  /**
   * Why an action or lookup was refused.
   *
   * @param status the HTTP status
   * @param message what went wrong and what to do
   */
  public record Refusal(int status, String message) implements OperationResponseBody {}
}
