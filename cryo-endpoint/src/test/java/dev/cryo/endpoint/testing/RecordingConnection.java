package dev.cryo.endpoint.testing;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.server.CryoSession;

/**
 * An in-memory {@link EndpointConnection} for tests of the endpoint layer and of what is built on
 * it: it records every text sent to it (notifications as the wire text {@link Envelopes} writes),
 * and its principal, transport details, settings and open state are set by the test. Subclasses
 * add what a suite needs to observe; it is published in cryo-endpoint's test jar.
 */
public class RecordingConnection implements EndpointConnection {

	/** Reads what was sent. */
	protected static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Envelopes ENVELOPES = new Envelopes(JSON);

	private final String id;

	private final String wire;

	private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	private volatile @Nullable ConnectionSettings settings;

	private volatile @Nullable Principal principal;

	private volatile @Nullable InetSocketAddress remoteAddress;

	private volatile boolean secure;

	private volatile int localPort = -1;

	private volatile boolean open = true;

	/**
	 * Creates an open connection of the yoctopus wire.
	 * @param id its id
	 */
	public RecordingConnection(String id) {
		this(id, YOCTOPUS_WIRE);
	}

	/**
	 * Creates an open connection.
	 * @param id its id
	 * @param wire its wire
	 */
	public RecordingConnection(String id, String wire) {
		this.id = id;
		this.wire = wire;
	}

	/**
	 * Sets the connection's settings.
	 * @param settings the settings, e.g. from {@code dispatcher.createSettings(this)}
	 */
	public void setSettings(ConnectionSettings settings) {
		this.settings = settings;
	}

	/**
	 * Sets the principal.
	 * @param principal the principal, {@code null} for none
	 */
	public void setPrincipal(@Nullable Principal principal) {
		this.principal = principal;
	}

	/**
	 * Sets what the transport tells about the connection.
	 * @param remoteAddress the client's address
	 * @param secure whether it is encrypted
	 * @param localPort the port it arrived on
	 */
	public void setTransport(@Nullable InetSocketAddress remoteAddress, boolean secure, int localPort) {
		this.remoteAddress = remoteAddress;
		this.secure = secure;
		this.localPort = localPort;
	}

	/**
	 * Opens or closes the connection as its transport would see it.
	 * @param open whether it is open
	 */
	public void setOpen(boolean open) {
		this.open = open;
	}

	/**
	 * Returns the texts sent so far and not yet taken, in order.
	 * @return the live queue
	 */
	public BlockingQueue<String> texts() {
		return this.texts;
	}

	/**
	 * Takes the next text sent, waiting up to five seconds, and parses it.
	 * @return the message
	 * @throws InterruptedException when interrupted
	 * @throws AssertionError when nothing was sent in time
	 */
	public JsonNode nextJson() throws InterruptedException {
		String text = this.texts.poll(5, TimeUnit.SECONDS);
		if (text == null) {
			throw new AssertionError("Nothing was sent to connection " + this.id);
		}
		return JSON.readTree(text);
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String wire() {
		return this.wire;
	}

	@Override
	public @Nullable Principal principal() {
		return this.principal;
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public boolean isSecure() {
		return this.secure;
	}

	@Override
	public int localPort() {
		return this.localPort;
	}

	@Override
	public ConnectionSettings settings() {
		ConnectionSettings current = this.settings;
		if (current == null) {
			throw new IllegalStateException("Connection " + this.id + " has no settings");
		}
		return current;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public CompletableFuture<Void> sendText(String json) {
		this.texts.add(json);
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public CompletableFuture<Void> notify(String type, @Nullable Object data) {
		return sendText(ENVELOPES.notification(type, data));
	}

	@Override
	public @Nullable CryoSession cryoSession() {
		return null;
	}

	@Override
	public void close(String reason) {
		this.open = false;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.wire + ":" + this.id + "]";
	}

}
