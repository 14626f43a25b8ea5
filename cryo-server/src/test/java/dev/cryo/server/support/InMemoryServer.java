package dev.cryo.server.support;

import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.CryoTransport;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.CryoSession;

/**
 * A {@link DefaultCryoServer} whose sessions run on in-memory transports: each {@link Peer}
 * sends frames straight into its session and records what the session sends back, with no
 * container and no socket. Events are recorded instead of published.
 */
final class InMemoryServer implements AutoCloseable {

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final DefaultCryoServer server;

	InMemoryServer() {
		this(UnaryOperator.identity());
	}

	InMemoryServer(UnaryOperator<DefaultCryoServer.Builder> customizer) {
		this(CryoServerSettings.DEFAULTS, customizer);
	}

	InMemoryServer(CryoServerSettings settings) {
		this(settings, UnaryOperator.identity());
	}

	InMemoryServer(CryoServerSettings settings, UnaryOperator<DefaultCryoServer.Builder> customizer) {
		this.server = customizer.apply(DefaultCryoServer.builder(settings, this.events::add)).build();
	}

	DefaultCryoServer server() {
		return this.server;
	}

	<E> List<E> events(Class<E> type) {
		return this.events.stream().filter(type::isInstance).map(type::cast).toList();
	}

	/** Returns every event published so far, in order. */
	List<Object> events() {
		return List.copyOf(this.events);
	}

	/** Opens a session the way the web layer does and completes its ENDPOINT_INFO exchange. */
	Peer connect(long numericSid) {
		return connect(numericSid, null);
	}

	/** Opens a session for a principal, as the upgrade gate leaves it after the authenticator said yes. */
	Peer connect(long numericSid, @Nullable Principal principal) {
		return connect(numericSid, principal, Map.of("tier", "gold"));
	}

	/** Opens a session for a principal with the authentication attributes given. */
	Peer connect(long numericSid, @Nullable Principal principal, Map<String, Object> attributes) {
		SessionId sid = SessionId.of(numericSid);
		CryoSessionRegistry.Reservation reservation = this.server.sessionRegistry().reserve(sid);
		if (reservation == null) {
			throw new IllegalStateException("sid " + sid + " is taken");
		}
		if (principal != null) {
			reservation.authenticated(new CryoAuthentication.Authenticated(principal, attributes));
		}
		Peer peer = new Peer(sid);
		SessionConnection connection = this.server.sessionFactory().create(reservation, CryoV1Dialect.INSTANCE, peer, null);
		if (connection == null) {
			throw new IllegalStateException("reservation of " + sid + " expired");
		}
		peer.connection = connection;
		connection.start();
		peer.send(new EndpointInfoFrame(sid, peer.nextAck(), EndpointInfoFrame.PROTOCOL_VERSION,
				EndpointInfoFrame.FEATURE_TRANSACTIONS));
		return peer;
	}

	@Override
	public void close() {
		this.server.lifecycle().destroy();
	}

	/** The client end of one in-memory connection. */
	final class Peer implements CryoTransport {

		private final SessionId sid;

		private final List<Frame> received = new CopyOnWriteArrayList<>();

		private @Nullable SessionConnection connection;

		private int ack;

		private Peer(SessionId sid) {
			this.sid = sid;
		}

		CryoSession session() {
			return InMemoryServer.this.server.session(this.sid).orElseThrow();
		}

		int nextAck() {
			return ++this.ack;
		}

		void send(Frame frame) {
			send(FrameCodec.encode(frame), false);
		}

		/** Hands an encoded message to the session as the web layer does, in a buffer of its own or a reused one. */
		void send(ByteBuffer message, boolean owned) {
			if (this.connection == null) {
				throw new IllegalStateException("not connected");
			}
			this.connection.receive(message, owned);
		}

		void sendUtf8(String text) {
			send(Utf8DataFrame.of(this.sid, nextAck(), text));
		}

		List<Frame> received() {
			return this.received;
		}

		List<String> receivedUtf8() {
			List<String> texts = new ArrayList<>();
			for (Frame frame : this.received) {
				if (frame instanceof Utf8DataFrame utf8) {
					texts.add(utf8.text());
				}
			}
			return texts;
		}

		@Override
		public void send(ByteBuffer message, SendCallback callback) {
			// A copy: the engine may reuse the buffer once the send completed.
			ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message.duplicate()).flip();
			this.received.add(FrameCodec.decode(copy));
			callback.completed(null);
		}

		@Override
		public void close(int code, String reason) {
			SessionConnection open = this.connection;
			if (open != null) {
				open.transportClosed(code, reason);
			}
		}

	}

}
