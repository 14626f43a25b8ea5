package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Frame;

/**
 * A Cryo peer on Tomcat's Jakarta WebSocket client, which (unlike the JDK's) speaks
 * permessage-deflate: it offers {@code permessage-deflate; client_max_window_bits} as browsers
 * and the {@code ws} library do, and compresses and inflates for real when the server accepts.
 */
final class DeflateOfferingClient implements AutoCloseable {

	private static final long WAIT_SECONDS = 10;

	private final Session session;

	private final SessionId sid;

	private final BlockingQueue<Frame> frames;

	private DeflateOfferingClient(Session session, SessionId sid, BlockingQueue<Frame> frames) {
		this.session = session;
		this.sid = sid;
		this.frames = frames;
	}

	static DeflateOfferingClient connect(int port, SessionId sid) throws IOException, DeploymentException {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		// Whole messages: large enough for the echoes the tests send.
		container.setDefaultMaxBinaryMessageBufferSize(256 * 1024);
		ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
			.extensions(List.of(new Offer("permessage-deflate", List.of(new Parameter("client_max_window_bits", null)))))
			.build();
		BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
		Endpoint endpoint = new Endpoint() {

			@Override
			public void onOpen(Session session, EndpointConfig config) {
				session.addMessageHandler(ByteBuffer.class,
						(MessageHandler.Whole<ByteBuffer>) (message) -> frames.add(FrameCodec.decode(message)));
			}

		};
		URI uri = URI.create("ws://localhost:" + port + CryoTestApplication.PATH + "?authorization=Bearer+"
				+ CryoTestApplication.TOKEN + "&x-cryo-sid=" + sid);
		return new DeflateOfferingClient(container.connectToServer(endpoint, config, uri), sid, frames);
	}

	/** Names of the extensions the server accepted. */
	List<String> negotiatedExtensions() {
		return this.session.getNegotiatedExtensions().stream().map(Extension::getName).toList();
	}

	/** Completes the ENDPOINT_INFO exchange. */
	EndpointInfoFrame handshake() throws IOException, InterruptedException {
		EndpointInfoFrame serverInfo = next(EndpointInfoFrame.class);
		send(new EndpointInfoFrame(this.sid, 0, EndpointInfoFrame.PROTOCOL_VERSION,
				EndpointInfoFrame.FEATURE_TRANSACTIONS));
		return serverInfo;
	}

	void send(Frame frame) throws IOException {
		this.session.getBasicRemote().sendBinary(FrameCodec.encode(frame));
	}

	/** Returns the next frame of the given type, skipping others (ACKs, pings). */
	<T extends Frame> T next(Class<T> type) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
		while (true) {
			Frame frame = this.frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (frame == null) {
				throw new AssertionError("No " + type.getSimpleName() + " within " + WAIT_SECONDS + " s");
			}
			if (type.isInstance(frame)) {
				return type.cast(frame);
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
	}

	private record Offer(String getName, List<Extension.Parameter> getParameters) implements Extension {
	}

	private record Parameter(String getName, @Nullable String getValue) implements Extension.Parameter {
	}

}
