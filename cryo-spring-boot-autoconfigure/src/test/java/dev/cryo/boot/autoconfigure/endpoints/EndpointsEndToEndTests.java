package dev.cryo.boot.autoconfigure.endpoints;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;
import dev.cryo.endpoint.BinaryHandler;
import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointMapping;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.EndpointResult;
import dev.cryo.endpoint.Notifier;
import dev.cryo.endpoint.OnSettingChanged;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.Requires;
import dev.cryo.endpoint.SettingChange;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint layer with its real engine on a real server, every case once over each wire (the
 * Java Cryo client, and a plain JDK WebSocket on the yoctopus wire): notifications, a setting
 * returned by a handler reaching another plugin's setting listener, the binary handler behind
 * its requirements, {@code api:api} subscribers told about a plugin registered and removed at
 * runtime, and 1,000 requests sent at once on one connection answered with matching ids.
 */
@SpringBootTest(classes = EndpointsEndToEndTests.EndpointsTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cryo.endpoints.websocket.path=/yoctopus")
@Timeout(60)
class EndpointsEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	EndpointRegistry registry;

	private final List<Client> clients = new ArrayList<>();

	@AfterEach
	void close() {
		this.clients.forEach(Client::close);
	}

	@ParameterizedTest
	@ValueSource(strings = { "cryo", "yoctopus" })
	void aSettingReturnedByAHandlerIsAppliedBeforeTheAnswerAndReachesAnotherPluginsListener(String wire)
			throws Exception {
		Client client = connect(wire);
		client.sendText(request("1", "shop:profile", "update", "true"));
		JsonNode first = client.nextJson();
		JsonNode second = client.nextJson();
		// The listener runs when the setting is applied, before the answer is written.
		assertThat(first.at("/meta/type").asString()).isEqualTo("vip-changed");
		assertThat(first.at("/data/to").asBoolean()).isTrue();
		assertThat(second.at("/meta/id").asString()).isEqualTo("1");
		assertThat(second.at("/meta/status").asString()).isEqualTo("ok");
		assertThat(second.at("/data").asBoolean()).isTrue();
		client.sendText(request("2", "shop:status", "read", "null"));
		assertThat(client.nextJson().at("/data/vip").asBoolean()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "cryo", "yoctopus" })
	void theBinaryHandlerRunsOnlyWhenItsRequirementsAreMet(String wire) throws Exception {
		Client client = connect(wire);
		client.sendBinary(new byte[] { 1, 2, 3 });
		JsonNode rejected = client.nextJson();
		assertThat(rejected.at("/meta/type").asString()).isEqualTo(BinaryHandler.REJECTED_TYPE);
		assertThat(rejected.at("/data/message").asString()).isEqualTo(Requires.UNMET_MESSAGE);
		client.sendText(request("1", "shop:profile", "update", "true"));
		client.nextJson();
		client.nextJson();
		client.sendBinary(new byte[] { 1, 2, 3, 4, 5 });
		JsonNode received = client.nextJson();
		assertThat(received.at("/meta/type").asString()).isEqualTo("binary-received");
		assertThat(received.at("/data/bytes").asInt()).isEqualTo(5);
	}

	@ParameterizedTest
	@ValueSource(strings = { "cryo", "yoctopus" })
	void apiSubscribersAreToldAboutPluginsRegisteredAndRemovedAtRuntime(String wire) throws Exception {
		Client client = connect(wire);
		client.sendText(request("s", "api:api", "subscribe", "null"));
		assertThat(client.nextJson().at("/meta/status").asString()).isEqualTo("ok");
		String name = "runtime-" + wire;
		EndpointRegistry.Registration registration = this.registry.register(PluginDefinition.builder(name)
			.endpoint("echo", (endpoint) -> endpoint.method("read", String.class, (context, body) -> body))
			.build());
		JsonNode added = client.nextJson();
		assertThat(added.at("/meta/method").asString()).isEqualTo("notify");
		assertThat(added.at("/meta/type").asString()).isEqualTo("api");
		assertThat(added.at("/data").has(name + ":echo")).isTrue();
		client.sendText(request("e", name + ":echo", "read", "\"hi\""));
		assertThat(client.nextJson().at("/data").asString()).isEqualTo("hi");
		registration.unregister();
		assertThat(client.nextJson().at("/data").has(name + ":echo")).isFalse();
		client.sendText(request("g", name + ":echo", "read", "\"hi\""));
		assertThat(client.nextJson().at("/error").asString()).isEqualTo("Unknown endpoint '" + name + ":echo'.");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cryo", "yoctopus" })
	void aThousandRequestsSentAtOnceOnOneConnectionAreAnsweredWithMatchingIds(String wire) throws Exception {
		Client client = connect(wire);
		List<CompletableFuture<?>> sent = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			sent.add(client.sendTextAsync(request(Integer.toString(i), "shop:double", "read", Integer.toString(i))));
		}
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			JsonNode response = client.nextJson();
			String id = response.at("/meta/id").asString();
			assertThat(response.at("/data").asInt()).isEqualTo(2 * Integer.parseInt(id));
			ids.add(id);
		}
		assertThat(ids).hasSize(1000);
	}

	private static String request(String id, String endpoint, String method, String data) {
		return "{\"meta\":{\"id\":\"" + id + "\",\"endpoint\":\"" + endpoint + "\",\"method\":\"" + method
				+ "\"},\"data\":" + data + "}";
	}

	private Client connect(String wire) throws Exception {
		Client client = "cryo".equals(wire) ? Client.cryo(this.port) : Client.yoctopus(this.port);
		this.clients.add(client);
		return client;
	}

	/** A connection of either wire that records the texts it receives, in order. */
	abstract static class Client {

		final BlockingQueue<String> texts;

		Client(BlockingQueue<String> texts) {
			this.texts = texts;
		}

		abstract CompletableFuture<?> sendTextAsync(String text);

		abstract CompletableFuture<?> sendBinaryAsync(byte[] bytes);

		abstract void close();

		void sendText(String text) throws Exception {
			sendTextAsync(text).get(10, TimeUnit.SECONDS);
		}

		void sendBinary(byte[] bytes) throws Exception {
			sendBinaryAsync(bytes).get(10, TimeUnit.SECONDS);
		}

		JsonNode nextJson() throws InterruptedException {
			String text = this.texts.poll(10, TimeUnit.SECONDS);
			assertThat(text).as("a message within 10 s").isNotNull();
			return JSON.readTree(text);
		}

		static Client cryo(int port) {
			return new CryoWireClient(port);
		}

		static Client yoctopus(int port) throws Exception {
			return new YoctopusWireClient(port);
		}

	}

	/** The Java Cryo client: requests as UTF-8 messages. */
	static final class CryoWireClient extends Client {

		private final CryoClientSession session;

		CryoWireClient(int port) {
			super(new LinkedBlockingQueue<>());
			this.session = CryoClient.builder(URI.create("ws://localhost:" + port + "/cryo"))
				.token("t")
				.listener(new CryoClientListener() {

					@Override
					public void onUtf8Message(CryoClientSession session, String text) {
						CryoWireClient.this.texts.add(text);
					}

				})
				.build()
				.connect();
		}

		@Override
		CompletableFuture<?> sendTextAsync(String text) {
			return this.session.sendUtf8(text);
		}

		@Override
		CompletableFuture<?> sendBinaryAsync(byte[] bytes) {
			return this.session.sendBinary(ByteBuffer.wrap(bytes));
		}

		@Override
		void close() {
			this.session.close();
		}

	}

	/** A plain JDK WebSocket on the yoctopus wire. */
	static final class YoctopusWireClient extends Client {

		private final PlainWebSocket socket;

		YoctopusWireClient(int port) throws Exception {
			this(PlainWebSocket.connect(URI.create("ws://localhost:" + port + "/yoctopus"), Map.of()));
		}

		private YoctopusWireClient(PlainWebSocket socket) {
			super(socket.texts);
			this.socket = socket;
		}

		@Override
		CompletableFuture<?> sendTextAsync(String text) {
			return this.socket.sendTextAsync(text);
		}

		@Override
		CompletableFuture<?> sendBinaryAsync(byte[] bytes) {
			return this.socket.sendBinaryAsync(ByteBuffer.wrap(bytes));
		}

		@Override
		void close() {
			this.socket.close();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ ShopPlugin.class, AuditPlugin.class })
	static class EndpointsTestApplication {

		@Bean
		CryoAuthenticator authenticator() {
			return (handshake) -> CompletableFuture
				.completedFuture(CryoAuthentication.authenticated(new CryoPrincipal("user")));
		}

	}

	/**
	 * The shop's settings.
	 * @param vip whether the connection is a VIP
	 */
	record ShopSettings(boolean vip) {
	}

	@CryoPlugin(name = "shop", settings = ShopSettings.class)
	static class ShopPlugin {

		@EndpointMapping(endpoint = "profile", method = "update")
		EndpointResult<Boolean> becomeVip(Boolean vip) {
			return EndpointResult.of(vip).withSetting("vip", vip);
		}

		@EndpointMapping(endpoint = "status", method = "read")
		ShopSettings status(ShopSettings settings) {
			return settings;
		}

		@EndpointMapping(endpoint = "double", method = "read")
		int twice(Integer value) {
			return 2 * value;
		}

		@BinaryHandler
		@Requires(settings = "shop.vip=true")
		void upload(ByteBuffer payload, Notifier notifier) {
			notifier.notify("binary-received", Map.of("bytes", payload.remaining()));
		}

	}

	@CryoPlugin("audit")
	static class AuditPlugin {

		@OnSettingChanged(plugin = "shop", setting = "vip")
		void vipChanged(EndpointConnection connection, SettingChange change) {
			connection.notify("vip-changed", Map.of("to", change.newValue()));
		}

	}

}
