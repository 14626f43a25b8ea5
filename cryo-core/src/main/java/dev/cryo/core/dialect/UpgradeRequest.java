package dev.cryo.core.dialect;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a dialect may look at to recognise a WebSocket upgrade: the path, the subprotocols the
 * client offered and the query parameters of the request URI. A transport-neutral view, so a
 * server and a test can build it from whatever request they have.
 *
 * @param path the request path within the application (without the servlet context path), as
 * the endpoint's mappings name it; empty when unknown
 * @param offeredSubprotocols the values of {@code Sec-WebSocket-Protocol}, in the client's order
 * @param queryParameters the decoded query parameters; names are case-sensitive
 */
public record UpgradeRequest(String path, List<String> offeredSubprotocols, Map<String, List<String>> queryParameters) {

	public UpgradeRequest {
		Objects.requireNonNull(path, "path");
		offeredSubprotocols = List.copyOf(offeredSubprotocols);
		queryParameters = Map.copyOf(queryParameters);
	}

	/**
	 * Creates a view of a request whose path does not matter.
	 * @param offeredSubprotocols the values of {@code Sec-WebSocket-Protocol}, in the client's order
	 * @param queryParameters the decoded query parameters
	 */
	public UpgradeRequest(List<String> offeredSubprotocols, Map<String, List<String>> queryParameters) {
		this("", offeredSubprotocols, queryParameters);
	}

	/**
	 * Returns whether the client offered a subprotocol.
	 * @param subprotocol the exact value
	 * @return whether it is among the offered ones
	 */
	public boolean offers(String subprotocol) {
		return this.offeredSubprotocols.contains(subprotocol);
	}

	/**
	 * Returns the first value of a query parameter.
	 * @param name the exact name
	 * @return the value, or {@code null} when the parameter is absent
	 */
	public @Nullable String queryParameter(String name) {
		List<String> values = this.queryParameters.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

}
