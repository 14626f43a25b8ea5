package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.Box;
import dev.cryo.server.CryoExtension;
import dev.cryo.server.CryoSendVetoedException;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoErrorMessageEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The extension chain (DESIGN.md, Extensions) on a running server: beans discovered and ordered
 * by {@code @Order}, hooks that veto, replace or drop frames, a failing hook that does not break
 * the chain, and registration at runtime.
 */
@SpringBootTest(classes = { CryoTestApplication.class, CryoExtensionsEndToEndTests.Extensions.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(30)
class CryoExtensionsEndToEndTests {

	private static final Duration QUIET = Duration.ofMillis(200);

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@AfterEach
	void removeRuntimeExtensions() {
		this.server.unregisterExtension("runtime");
		this.server.unregisterExtension("runtime-early");
	}

	// ---- discovery and order

	@Test
	void extensionBeansAreRegisteredInOrderOfTheirOrderAnnotation() {
		assertThat(this.server.extensions()).extracting(CryoExtension::name)
			.containsExactly("throwing", "veto-secret", "replace-text", "drop-binary", "append-a", "append-b");
	}

	@Test
	void hooksRunInChainOrder() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(Utf8DataFrame.of(sid, 1, "chain:"));
			client.next(AckFrame.class);
			// append-a (@Order 40) runs before append-b (@Order 50) although it is declared after it.
			assertThat(this.events.await(sid, CryoUtf8MessageEvent.class).text()).isEqualTo("chain:AB");
		}
	}

	// ---- outgoing

	@Test
	void vetoedSendFailsWithSendVetoedAndNothingIsSent() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CompletableFuture<Void> vetoed = CryoClients.session(this.server, sid).sendUtf8("the secret plan");
			assertThat(vetoed).isCompletedExceptionally();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> vetoed.get(1, TimeUnit.SECONDS))
				.withCauseInstanceOf(CryoSendVetoedException.class)
				.withMessageContaining("veto-secret");
			assertThat(client.poll(QUIET)).as("a vetoed frame is never sent").isNull();
		}
	}

	@Test
	void sendsTheExtensionAllowsGoOut() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CompletableFuture<Void> sent = CryoClients.session(this.server, sid).sendUtf8("public news");
			Utf8DataFrame frame = client.next(Utf8DataFrame.class);
			assertThat(frame.text()).isEqualTo("public news");
			client.send(new AckFrame(sid, frame.ack()));
			sent.get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void vetoInABroadcastFailsEachFuture() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			CompletableFuture<Void> vetoed = this.server.multicastUtf8((candidate) -> candidate == session, "secret!")
				.get(session);
			assertThat(vetoed).isCompletedExceptionally();
			assertThat(client.poll(QUIET)).isNull();
		}
	}

	@Test
	void outgoingHookCanReplaceTheMessage() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoClients.session(this.server, sid).sendBinary("raw".getBytes(StandardCharsets.US_ASCII));
			BinaryDataFrame frame = client.next(BinaryDataFrame.class);
			assertThat(StandardCharsets.US_ASCII.decode(frame.payload()).toString()).isEqualTo("raw+stamped");
		}
	}

	// ---- incoming

	@Test
	void incomingHookCanReplaceTheTextTheEventSees() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(Utf8DataFrame.of(sid, 1, "replace:me"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(1);
			assertThat(this.events.await(sid, CryoUtf8MessageEvent.class).text()).isEqualTo("replaced:me");
		}
	}

	@Test
	void droppedIncomingBinaryIsAckedButNotPublished() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(new BinaryDataFrame(sid, 1, ByteBuffer.wrap("drop me".getBytes(StandardCharsets.US_ASCII))));
			assertThat(client.next(AckFrame.class).ack()).as("ACKed after decoding, before the chain").isEqualTo(1);
			client.send(new BinaryDataFrame(sid, 2, ByteBuffer.wrap("keep me".getBytes(StandardCharsets.US_ASCII))));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(2);
			// Frames are handled in order: once the second is published, the first was not.
			CryoBinaryMessageEvent kept = this.events.await(sid, CryoBinaryMessageEvent.class);
			assertThat(new String(kept.bytes(), StandardCharsets.US_ASCII)).isEqualTo("keep me");
			assertThat(this.events.events(sid, CryoBinaryMessageEvent.class)).hasSize(1);
		}
	}

	@Test
	void throwingExtensionDoesNotStopTheChainOrTheMessage() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(Utf8DataFrame.of(sid, 1, "boom"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(1);
			assertThat(this.events.await(sid, CryoUtf8MessageEvent.class).text()).isEqualTo("boom");
			client.send(new ErrorFrame(sid, 2, "boom"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(2);
			assertThat(this.events.await(sid, CryoErrorMessageEvent.class).message()).isEqualTo("boom");
		}
	}

	@Test
	void throwingOutgoingHookDoesNotStopTheSend() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoClients.session(this.server, sid).sendError("boom");
			assertThat(client.next(ErrorFrame.class).message()).isEqualTo("boom");
		}
	}

	// ---- runtime registration

	@Test
	void extensionCanBeRegisteredLookedUpAndUnregisteredAtRuntime() {
		RecordingExtension runtime = new RecordingExtension("runtime");
		this.server.registerExtension(runtime);
		assertThat(runtime.registeredWith).containsExactly(this.server);
		assertThat(this.server.extension("runtime")).containsSame(runtime);
		assertThat(this.server.extensions()).last().isSameAs(runtime);
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(Utf8DataFrame.of(sid, 1, "seen"));
			client.next(AckFrame.class);
			this.events.await(sid, CryoUtf8MessageEvent.class);
			assertThat(runtime.received).containsExactly("seen");

			Optional<CryoExtension> removed = this.server.unregisterExtension("runtime");
			assertThat(removed).containsSame(runtime);
			assertThat(runtime.unregisteredFrom).containsExactly(this.server);
			assertThat(this.server.extension("runtime")).isEmpty();
			client.send(Utf8DataFrame.of(sid, 2, "unseen"));
			client.next(AckFrame.class);
			this.events.awaitCount(sid, CryoUtf8MessageEvent.class, 2);
			assertThat(runtime.received).containsExactly("seen");
		}
	}

	@Test
	void runtimeExtensionTakesItsOrderPositionInTheChain() {
		RecordingExtension early = new EarlyRecordingExtension("runtime-early");
		this.server.registerExtension(early);
		assertThat(this.server.extensions()).extracting(CryoExtension::name)
			.containsSubsequence("throwing", "runtime-early", "veto-secret");
	}

	@Test
	void registeringADuplicateNameIsRejected() {
		RecordingExtension duplicate = new RecordingExtension("veto-secret");
		assertThatIllegalArgumentException().isThrownBy(() -> this.server.registerExtension(duplicate))
			.withMessageContaining("veto-secret");
		assertThat(duplicate.registeredWith).isEmpty();
		assertThat(this.server.extension("veto-secret")).get().isNotSameAs(duplicate);
	}

	@Test
	void unregisteringAnUnknownNameReturnsNothing() {
		assertThat(this.server.unregisterExtension("no-such-extension")).isEmpty();
	}

	@Configuration(proxyBeanMethods = false)
	static class Extensions {

		// Declared out of order on purpose: @Order decides.
		@Bean
		AppendExtension appendB() {
			return new AppendB();
		}

		@Bean
		DropBinaryExtension dropBinaryExtension() {
			return new DropBinaryExtension();
		}

		@Bean
		ReplaceTextExtension replaceTextExtension() {
			return new ReplaceTextExtension();
		}

		@Bean
		VetoSecretExtension vetoSecretExtension() {
			return new VetoSecretExtension();
		}

		@Bean
		ThrowingExtension throwingExtension() {
			return new ThrowingExtension();
		}

		@Bean
		AppendExtension appendA() {
			return new AppendA();
		}

	}

	/** Throws from every hook it has; the chain must carry on. */
	@Order(5)
	static class ThrowingExtension implements CryoExtension {

		@Override
		public String name() {
			return "throwing";
		}

		@Override
		public boolean onReceiveUtf8(CryoSession session, Box<String> text) {
			throw new IllegalStateException("extension failure on purpose");
		}

		@Override
		public boolean onReceiveError(CryoSession session, Box<String> message) {
			throw new IllegalStateException("extension failure on purpose");
		}

		@Override
		public boolean beforeSendError(CryoSession session, Box<String> message) {
			throw new IllegalStateException("extension failure on purpose");
		}

	}

	/** Keeps secrets in: drops outgoing text that mentions one, and stamps outgoing binaries. */
	@Order(10)
	static class VetoSecretExtension implements CryoExtension {

		@Override
		public String name() {
			return "veto-secret";
		}

		@Override
		public boolean beforeSendUtf8(CryoSession session, Box<String> text) {
			return !text.get().contains("secret");
		}

		@Override
		public boolean beforeSendBinary(CryoSession session, Box<ByteBuffer> payload) {
			String text = StandardCharsets.US_ASCII.decode(payload.get().duplicate()).toString();
			payload.set(ByteBuffer.wrap((text + "+stamped").getBytes(StandardCharsets.US_ASCII)));
			return true;
		}

	}

	/** Rewrites incoming text that starts with {@code replace:}. */
	@Order(20)
	static class ReplaceTextExtension implements CryoExtension {

		@Override
		public String name() {
			return "replace-text";
		}

		@Override
		public boolean onReceiveUtf8(CryoSession session, Box<String> text) {
			if (text.get().startsWith("replace:")) {
				text.set("replaced:" + text.get().substring("replace:".length()));
			}
			return true;
		}

	}

	/** Keeps incoming binaries that start with {@code drop} from the application. */
	@Order(30)
	static class DropBinaryExtension implements CryoExtension {

		@Override
		public String name() {
			return "drop-binary";
		}

		@Override
		public boolean onReceiveBinary(CryoSession session, Box<ByteBuffer> payload) {
			return !StandardCharsets.US_ASCII.decode(payload.get().duplicate()).toString().startsWith("drop");
		}

	}

	/** Appends a letter to incoming text that starts with {@code chain:}, to show the order. */
	abstract static class AppendExtension implements CryoExtension {

		private final String letter;

		AppendExtension(String letter) {
			this.letter = letter;
		}

		@Override
		public String name() {
			return "append-" + this.letter.toLowerCase(Locale.ROOT);
		}

		@Override
		public boolean onReceiveUtf8(CryoSession session, Box<String> text) {
			if (text.get().startsWith("chain:")) {
				text.set(text.get() + this.letter);
			}
			return true;
		}

	}

	@Order(40)
	static class AppendA extends AppendExtension {

		AppendA() {
			super("A");
		}

	}

	@Order(50)
	static class AppendB extends AppendExtension {

		AppendB() {
			super("B");
		}

	}

	/** Records its lifecycle and the text it sees. */
	static class RecordingExtension implements CryoExtension {

		private final String name;

		final List<CryoServer> registeredWith = new CopyOnWriteArrayList<>();

		final List<CryoServer> unregisteredFrom = new CopyOnWriteArrayList<>();

		final List<String> received = new CopyOnWriteArrayList<>();

		RecordingExtension(String name) {
			this.name = name;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public void onRegister(CryoServer server) {
			this.registeredWith.add(server);
		}

		@Override
		public void onUnregister(CryoServer server) {
			this.unregisteredFrom.add(server);
		}

		@Override
		public boolean onReceiveUtf8(CryoSession session, Box<String> text) {
			this.received.add(text.get());
			return true;
		}

	}

	@Order(7)
	static class EarlyRecordingExtension extends RecordingExtension {

		EarlyRecordingExtension(String name) {
			super(name);
		}

	}

}
