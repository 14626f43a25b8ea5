package dev.cryo.sample.cluster;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;
import dev.cryo.test.PrivateRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app as two nodes of one cluster on a private Redis, as README's "Running several
 * servers" starts it: the demo chat's broadcast from a client of node A reaches a client of node B
 * (and A's own), once each; a single node (the default) has no Redis health check to fail.
 */
@Timeout(90)
class TwoNodeChatTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	private final SampleNodes nodes = new SampleNodes(redis, "sample-chat:");

	private final List<CryoClientSession> sessions = new ArrayList<>();

	@AfterEach
	void stop() {
		this.sessions.forEach(CryoClientSession::close);
		this.nodes.close();
	}

	private ConfigurableApplicationContext node(String id) {
		return this.nodes.start(id);
	}

	private BlockingQueue<String> connect(ConfigurableApplicationContext node) {
		BlockingQueue<String> texts = new LinkedBlockingQueue<>();
		int port = SampleNodes.port(node);
		CryoClientSession session = CryoClient.builder(URI.create("ws://localhost:" + port + "/cryo"))
			.token("dev-token")
			.listener(new CryoClientListener() {

				@Override
				public void onUtf8Message(CryoClientSession session, String text) {
					texts.add(text);
				}

			})
			.build()
			.connect();
		this.sessions.add(session);
		return texts;
	}

	private static String nextChat(BlockingQueue<String> texts) throws InterruptedException {
		while (true) {
			String text = texts.poll(10, TimeUnit.SECONDS);
			assertThat(text).as("a chat line within 10 s").isNotNull();
			if (text.startsWith("chat-from ")) {
				return text;
			}
		}
	}

	@Test
	void aChatLineSentToNodeAReachesAClientOfNodeBOnce() throws Exception {
		ConfigurableApplicationContext a = node("sample-a");
		ConfigurableApplicationContext b = node("sample-b");
		BlockingQueue<String> onA = connect(a);
		BlockingQueue<String> onB = connect(b);
		CryoClientSession sender = this.sessions.get(0);

		sender.sendUtf8("chat across the cluster ✓").get(10, TimeUnit.SECONDS);

		String id = sender.idString();
		String expected = "chat-from " + id.substring(id.length() - 6) + " developer across the cluster ✓";
		assertThat(nextChat(onB)).isEqualTo(expected);
		assertThat(nextChat(onA)).isEqualTo(expected);
		// Once each: nothing more arrives on B.
		assertThat(onB.poll(500, TimeUnit.MILLISECONDS)).isNull();
	}

}
