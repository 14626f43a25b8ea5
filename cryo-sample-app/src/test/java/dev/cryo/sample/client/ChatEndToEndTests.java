package dev.cryo.sample.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientSession;
import dev.cryo.sample.CryoSampleApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page's chat with the Java client: {@code chat <message>} reaches every session as
 * {@code chat-from <last six characters of the sender's id> <user> <message>}, and a message over 500
 * characters is refused with an ERROR frame. The browser side is in {@code BrowserDemoPageTests}.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.server.port=0")
@Timeout(60)
class ChatEndToEndTests {

	@LocalServerPort
	private int port;

	private final List<CryoClientSession> sessions = new ArrayList<>();

	@AfterEach
	void closeSessions() {
		this.sessions.forEach(CryoClientSession::close);
	}

	private CryoClientSession connect(RecordingListener listener) {
		CryoClientSession session = CryoClient.builder(URI.create("ws://localhost:" + this.port + "/cryo"))
			.token("dev-token")
			.listener(listener)
			.build()
			.connect();
		this.sessions.add(session);
		return session;
	}

	@Test
	void chatMessageIsBroadcastToEverySessionWithTheSendersShortIdAndUser() throws Exception {
		RecordingListener alice = new RecordingListener();
		RecordingListener bob = new RecordingListener();
		CryoClientSession sender = connect(alice);
		connect(bob);

		sender.sendUtf8("chat hello, grüße ✓").get(5, TimeUnit.SECONDS);

		String id = sender.idString();
		String expected = "chat-from " + id.substring(id.length() - 6) + " developer hello, grüße ✓";
		assertThat(bob.nextTextStartingWith("chat-from ")).isEqualTo(expected);
		assertThat(alice.nextTextStartingWith("chat-from ")).isEqualTo(expected);
	}

	@Test
	void whoamiIsAnsweredToTheAskerWithItsUser() throws Exception {
		RecordingListener alice = new RecordingListener();
		CryoClientSession session = connect(alice);
		session.sendUtf8("whoami").get(5, TimeUnit.SECONDS);
		assertThat(alice.nextTextStartingWith("you-are ")).isEqualTo("you-are developer");
	}

	@Test
	void overlongChatMessageIsRefusedWithAnErrorAndNotBroadcast() throws Exception {
		RecordingListener alice = new RecordingListener();
		RecordingListener bob = new RecordingListener();
		CryoClientSession sender = connect(alice);
		connect(bob);

		// 501 characters, each a surrogate pair: counted as characters, not UTF-16 units.
		sender.sendUtf8("chat " + "😀".repeat(501)).get(5, TimeUnit.SECONDS);
		assertThat(alice.errors.poll(10, TimeUnit.SECONDS)).isEqualTo("chat: a message is at most 500 characters");

		// 500 pass; bob sees that one and nothing before it.
		sender.sendUtf8("chat " + "😀".repeat(500)).get(5, TimeUnit.SECONDS);
		assertThat(bob.nextTextStartingWith("chat-from ")).endsWith(" " + "😀".repeat(500));
	}

}
