package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.event.EventListener;

import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.event.CryoGroupJoinedEvent;
import dev.cryo.server.event.CryoGroupLeftEvent;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups (rooms) against a real server and raw clients: sends to a group reach its members and
 * nobody else, a member can be left out, a closed session leaves its groups with events, and the
 * {@code cryo} endpoint and the gauges show the memberships. Clients join and speak through a
 * small chat application ({@link ChatRooms}), as a real one would.
 */
@SpringBootTest(classes = { CryoTestApplication.class, CryoGroupsEndToEndTests.ChatRooms.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.keep-alive-interval=1h", "management.endpoints.web.exposure.include=cryo" })
@Timeout(30)
class CryoGroupsEndToEndTests {

	private static final Duration QUIET = Duration.ofMillis(200);

	private static final HttpClient http = HttpClient.newHttpClient();

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	/** The application's port, where the actuator answers. */
	@LocalServerPort
	int serverPort;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Autowired
	MeterRegistry registry;

	@Test
	void aGroupSendReachesExactlyItsMembers() throws Exception {
		try (RawCryoClient a = ready(); RawCryoClient b = ready(); RawCryoClient c = ready()) {
			join(a, "chat", 1);
			join(b, "chat", 1);
			Map<CryoSession, CompletableFuture<Void>> sent = this.server.group("chat").sendUtf8("hello room");
			assertThat(sent.keySet()).extracting(CryoSession::id).containsExactlyInAnyOrder(a.sid(), b.sid());
			for (RawCryoClient member : List.of(a, b)) {
				Utf8DataFrame frame = member.next(Utf8DataFrame.class);
				assertThat(frame.text()).isEqualTo("hello room");
				member.send(new AckFrame(member.sid(), frame.ack()));
			}
			CompletableFuture.allOf(sent.values().toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
			assertThat(c.poll(QUIET)).isNull();
			closeAll(a, b, c);
		}
	}

	@Test
	void aMessageToTheGroupExceptItsSenderReachesTheOtherMemberOnly() {
		try (RawCryoClient a = ready(); RawCryoClient b = ready(); RawCryoClient c = ready()) {
			join(a, "chat", 1);
			join(b, "chat", 1);
			a.send(Utf8DataFrame.of(a.sid(), 2, "say:chat:hi all"));
			assertThat(a.next(AckFrame.class).ack()).isEqualTo(2);
			assertThat(b.next(Utf8DataFrame.class).text()).isEqualTo("hi all");
			assertThat(a.poll(QUIET)).as("the sender hears nothing back").isNull();
			assertThat(c.poll(QUIET)).isNull();
			closeAll(a, b, c);
		}
	}

	@Test
	void aMulticastWithAGroupSelectorReachesTheMembers() {
		try (RawCryoClient a = ready(); RawCryoClient b = ready(); RawCryoClient c = ready()) {
			join(a, "chat", 1);
			join(c, "chat", 1);
			BroadcastResult result = this.server.multicastUtf8(SessionSelector.group("chat"), "by selector");
			assertThat(result.localDeliveries().keySet()).extracting(CryoSession::id)
				.containsExactlyInAnyOrder(a.sid(), c.sid());
			assertThat(result.remoteDeliveries()).isZero();
			assertThat(a.next(Utf8DataFrame.class).text()).isEqualTo("by selector");
			assertThat(c.next(Utf8DataFrame.class).text()).isEqualTo("by selector");
			assertThat(b.poll(QUIET)).isNull();
			closeAll(a, b, c);
		}
	}

	@Test
	void aSessionThatClosesLeavesItsGroupsAndTheLeftEventsFire() {
		try (RawCryoClient leaving = ready(); RawCryoClient staying = ready()) {
			join(leaving, "chat", 1);
			join(leaving, "news", 2);
			join(staying, "chat", 1);
			leaving.closeWebSocket(1000, "bye");
			List<CryoGroupLeftEvent> left = this.events.awaitCount(leaving.sid(), CryoGroupLeftEvent.class, 2);
			assertThat(left).extracting(CryoGroupLeftEvent::group).containsExactly("chat", "news");
			assertThat(left).allSatisfy((event) -> assertThat(event.sessionEnded()).isTrue());
			this.events.await(leaving.sid(), CryoSessionClosedEvent.class);
			assertThat(this.server.group("chat").sessions()).extracting(CryoSession::id).containsExactly(staying.sid());
			assertThat(this.server.group("news").size()).isZero();
			closeAll(staying);
			CryoClients.awaitGone(this.server, leaving.sid());
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void theEndpointListsEachSessionsGroupsAndTheGaugesCountThem() throws Exception {
		try (RawCryoClient a = ready(); RawCryoClient b = ready()) {
			join(a, "chat", 1);
			join(a, "news", 2);
			join(b, "chat", 1);
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + this.serverPort + "/actuator/cryo")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			List<Map<String, Object>> sessions = (List<Map<String, Object>>) JsonParserFactory.getJsonParser()
				.parseMap(response.body())
				.get("sessions");
			assertThat(sessions).filteredOn((session) -> a.sid().toString().equals(session.get("id")))
				.singleElement()
				.satisfies((session) -> assertThat(session).containsEntry("groups", List.of("chat", "news")));
			assertThat(sessions).filteredOn((session) -> b.sid().toString().equals(session.get("id")))
				.singleElement()
				.satisfies((session) -> assertThat(session).containsEntry("groups", List.of("chat")));
			assertThat(this.registry.get("cryo.groups.active").gauge().value()).isEqualTo(2);
			assertThat(this.registry.get("cryo.groups.memberships").gauge().value()).isEqualTo(3);
			closeAll(a, b);
		}
		assertThat(this.registry.get("cryo.groups.active").gauge().value()).isZero();
		assertThat(this.registry.get("cryo.groups.memberships").gauge().value()).isZero();
	}

	private RawCryoClient ready() {
		return CryoClients.ready(this.port, RawFrames.newSid());
	}

	/** Asks the chat application to join a group and waits until the session is a member. */
	private void join(RawCryoClient client, String group, int ack) {
		client.send(Utf8DataFrame.of(client.sid(), ack, "join:" + group));
		assertThat(client.next(AckFrame.class).ack()).isEqualTo(ack);
		List<CryoGroupJoinedEvent> joined = this.events.awaitCount(client.sid(), CryoGroupJoinedEvent.class, ack);
		assertThat(joined.get(ack - 1).group()).isEqualTo(group);
	}

	/** Closes the clients and waits for their sessions to end, so the next test starts without members. */
	private void closeAll(RawCryoClient... clients) {
		for (RawCryoClient client : clients) {
			client.closeWebSocket(1000, "");
		}
		for (RawCryoClient client : clients) {
			CryoClients.awaitGone(this.server, client.sid());
		}
	}

	/**
	 * A chat application: {@code join:<group>} joins a group, {@code say:<group>:<text>} sends
	 * the text to every other member.
	 */
	static class ChatRooms {

		private final CryoServer server;

		ChatRooms(CryoServer server) {
			this.server = server;
		}

		@EventListener
		void on(CryoUtf8MessageEvent event) {
			String text = event.text();
			if (text.startsWith("join:")) {
				event.session().join(text.substring("join:".length()));
			}
			else if (text.startsWith("say:")) {
				int colon = text.indexOf(':', "say:".length());
				this.server.group(text.substring("say:".length(), colon))
					.except(event.session())
					.sendUtf8(text.substring(colon + 1));
			}
		}

	}

}
