package dev.cryo.sample.endpoints;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.cryo.sample.endpoints.EndpointClients.EndpointClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint connections one test opens to the sample, on either wire and any node, with the
 * request ids of its requests; {@link #close()} closes them all.
 */
final class EndpointConnections implements AutoCloseable {

	private final List<EndpointClient> clients = new ArrayList<>();

	private int requestIds;

	/**
	 * Opens a connection with the development token and waits for a first answer.
	 * @param wire {@code "cryo"} or {@code "yoctopus"}
	 * @param port the node's port
	 * @return the connection
	 */
	EndpointClient connect(String wire, int port) throws Exception {
		EndpointClient client = "cryo".equals(wire) ? EndpointClients.cryo(port, "dev-token")
				: EndpointClients.yoctopus(port, "");
		this.clients.add(client);
		// A first answer: the connection is open (and subscribed, since the sample subscribes on open).
		assertOk(answer(client, "greeter:hello", "read", "{\"name\":\"x\"}"));
		return client;
	}

	/**
	 * Opens a connection and signs in with {@code auth:login}.
	 * @param wire {@code "cryo"} or {@code "yoctopus"}
	 * @param port the node's port
	 * @param user the user
	 * @param password the password
	 * @return the connection
	 */
	EndpointClient signedIn(String wire, int port, String user, String password) throws Exception {
		EndpointClient client = connect(wire, port);
		assertOk(answer(client, "auth:login", "create",
				"{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}"));
		return client;
	}

	/** Sends a request with an id of its own and returns its answer; notifications stay queued. */
	JsonNode answer(EndpointClient client, String endpoint, String method, String data) throws Exception {
		return EndpointClients.answer(client, "r" + (++this.requestIds), endpoint, method, data);
	}

	/** The next message is the answer to a new request: nothing else was queued before it. */
	void assertNothingElseArrived(EndpointClient client) throws Exception {
		String id = "probe" + (++this.requestIds);
		client.send("{\"meta\":{\"id\":\"" + id + "\",\"endpoint\":\"greeter:hello\",\"method\":\"read\"},"
				+ "\"data\":{\"name\":\"probe\"}}");
		JsonNode next = client.next();
		assertThat(next.path("meta").path("id").asString()).as(next.toString()).isEqualTo(id);
	}

	static void assertOk(JsonNode answer) {
		assertThat(answer.path("meta").path("status").asString()).as(answer.toString()).isEqualTo("ok");
	}

	@Override
	public void close() {
		this.clients.forEach(EndpointClient::close);
	}

}
