package dev.cryo.core.dialect.legacy;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.dialect.MessageTransform;
import dev.cryo.core.dialect.MessageTransformException;
import dev.cryo.core.dialect.TransformContext;
import dev.cryo.core.dialect.legacy.cale.CaleCipher;
import dev.cryo.core.dialect.legacy.cale.CaleKeyException;
import dev.cryo.core.dialect.legacy.cale.CaleKeyPair;
import dev.cryo.core.dialect.legacy.cale.CaleKeys;
import dev.cryo.core.dialect.legacy.cale.CaleNonceExhaustedException;
import dev.cryo.core.dialect.legacy.cale.CalePublicKey;
import dev.cryo.core.frame.CryoFrameException;

/**
 * The server side of CALE for one legacy session (legacy-v0.md §7, §10.3, §10.4): the handshake,
 * then AES-128-GCM on every message in both directions.
 *
 * <p>Handshake: SERVER_HELLO with a fresh P-256 key and ack 0 when the session starts (the
 * engine writes it as a write of its own after the upgrade); a CLIENT_HELLO with a valid key is
 * answered with HANDSHAKE_DONE in plaintext; the client's HANDSHAKE_DONE switches to encrypted
 * mode and opens the session. Any other handshake message, a CLIENT_HELLO that is not 86 bytes
 * or whose key is not a point on P-256, closes with 4011 {@code Error during CALE handshake.}
 * Everything else the client sends before encrypted mode is dropped unanswered (§10.3 rule 5).
 *
 * <p>Encrypted mode: a received message is decrypted first; if its tag verifies, the plaintext is
 * the frame whatever its byte 20 was, so no ciphertext is ever taken for a frame (§10.4). Only a
 * message that is not authentic is looked at as a plaintext frame, which the published clients
 * and servers accept at any time; one that is not a frame either is dropped. Sent frames are
 * encrypted with a fresh IV each, never one whose byte 20 a client would take for a plaintext
 * type ({@link CaleCipher}); when the IVs run out the session closes with 4011
 * {@code CALE nonce space exhausted.}
 *
 * <p>Keys are never logged; the private key is dropped once the shared keys are derived.
 */
final class CaleSessionLayer implements MessageTransform {

	/** The close code of a failed CALE handshake (§8). */
	static final int HANDSHAKE_FAILED = 4011;

	/** The server's reason for a failed CALE handshake (§7.1, §10.3). */
	static final String HANDSHAKE_FAILED_REASON = "Error during CALE handshake.";

	/** The reason when the server's IV counter would wrap (§10.4). */
	static final String NONCE_EXHAUSTED_REASON = "CALE nonce space exhausted.";

	private static final System.Logger logger = System.getLogger(CaleSessionLayer.class.getName());

	private enum State {

		/** SERVER_HELLO is queued; the client's key is awaited. */
		AWAITING_CLIENT_HELLO,

		/** HANDSHAKE_DONE is queued; the client's is awaited. */
		AWAITING_HANDSHAKE_DONE,

		/** Every message is encrypted. */
		ENCRYPTED,

		/** The handshake failed; the session is closing and nothing more is read. */
		FAILED

	}

	/** Written by the receiving thread, read by the writing thread. */
	private volatile State state = State.AWAITING_CLIENT_HELLO;

	/** Set once before the state leaves AWAITING_CLIENT_HELLO, whose volatile write publishes it. */
	private @Nullable CaleCipher cipher;

	/** The key pair of this session, until the shared keys are derived. */
	private @Nullable CaleKeyPair keyPair;

	private @Nullable TransformContext context;

	/** Messages dropped before encrypted mode; touched only by the receiving thread. */
	private long droppedBeforeEncryption;

	@Override
	public void start(TransformContext context) {
		this.context = context;
		CaleKeyPair keyPair = CaleKeyPair.generate();
		this.keyPair = keyPair;
		context.send(LegacyCodec.encodeHandshake(LegacyHandshake.SERVER_HELLO, context.sid(), context.nextNumber(),
				keyPair.publicKey().encoded()));
	}

	@Override
	public @Nullable ByteBuffer inbound(ByteBuffer message) {
		return switch (this.state) {
			case ENCRYPTED -> encrypted(message);
			case FAILED -> null;
			default -> handshake(message);
		};
	}

	private @Nullable ByteBuffer handshake(ByteBuffer message) {
		LegacyHandshake type = LegacyCodec.handshakeType(message);
		if (type == null) {
			// A client with CALE off sends data before it reads our SERVER_HELLO (§10.2): not
			// ACKed, not delivered, as nothing may be answered in plaintext.
			this.droppedBeforeEncryption++;
			logger.log(Level.DEBUG, () -> "Legacy session " + context().sid() + " dropped a message of "
					+ message.remaining() + " bytes before its CALE handshake completed ("
					+ this.droppedBeforeEncryption + " so far)");
			return null;
		}
		if (type == LegacyHandshake.CLIENT_HELLO && this.state == State.AWAITING_CLIENT_HELLO) {
			clientHello(message);
		}
		else if (type == LegacyHandshake.HANDSHAKE_DONE && this.state == State.AWAITING_HANDSHAKE_DONE) {
			this.state = State.ENCRYPTED;
			context().established();
		}
		else {
			fail(type + " out of order");
		}
		return null;
	}

	private void clientHello(ByteBuffer message) {
		TransformContext context = context();
		CaleKeyPair keyPair = this.keyPair;
		if (keyPair == null) {
			fail("no key pair");
			return;
		}
		LegacyHandshakeFrame hello;
		CaleKeys keys;
		try {
			hello = LegacyCodec.decodeHandshake(message);
			keys = CaleKeys.agree(keyPair, CalePublicKey.decode(hello.payload()));
		}
		catch (CryoFrameException | CaleKeyException ex) {
			fail("CLIENT_HELLO refused: " + ex.getMessage());
			return;
		}
		this.cipher = CaleCipher.forServer(keys);
		this.keyPair = null;
		this.state = State.AWAITING_HANDSHAKE_DONE;
		// In plaintext, copying the CLIENT_HELLO's ack (§7.1 step 3).
		context.send(LegacyCodec.encodeHandshakeDone(context.sid(), hello.ack()));
	}

	private @Nullable ByteBuffer encrypted(ByteBuffer message) {
		CaleCipher cipher = this.cipher;
		ByteBuffer plain = (cipher != null) ? cipher.decrypt(message) : null;
		if (plain != null) {
			if (LegacyCodec.handshakeType(plain) != null) {
				fail("encrypted handshake frame after the handshake");
				return null;
			}
			return plain;
		}
		// Not authentic: read as plaintext, which the clients and the 2.x server accept at any
		// time (§7.4), unless it cannot be a frame at all.
		if (!LegacyCodec.hasFrameType(message)) {
			logger.log(Level.DEBUG, () -> "Legacy session " + context().sid() + " dropped a message of "
					+ message.remaining() + " bytes that is neither authentic nor a plaintext frame");
			return null;
		}
		if (LegacyCodec.handshakeType(message) != null) {
			fail("handshake frame after the handshake");
			return null;
		}
		return message;
	}

	@Override
	public ByteBuffer outbound(ByteBuffer message) {
		CaleCipher cipher = this.cipher;
		// Handshake messages are never encrypted (§7.1); nothing else is sent before encrypted mode.
		if (this.state != State.ENCRYPTED || cipher == null || LegacyCodec.handshakeType(message) != null) {
			return message;
		}
		try {
			return cipher.encrypt(message);
		}
		catch (CaleNonceExhaustedException ex) {
			throw new MessageTransformException(HANDSHAKE_FAILED, NONCE_EXHAUSTED_REASON);
		}
	}

	private void fail(String why) {
		this.state = State.FAILED;
		this.keyPair = null;
		TransformContext context = context();
		logger.log(Level.DEBUG, () -> "Legacy session " + context.sid() + " failed its CALE handshake: " + why);
		context.fail(HANDSHAKE_FAILED, HANDSHAKE_FAILED_REASON);
	}

	private TransformContext context() {
		TransformContext context = this.context;
		if (context == null) {
			throw new IllegalStateException("the CALE layer was not started");
		}
		return context;
	}

	@Override
	public String toString() {
		return "CaleSessionLayer[" + this.state + "]";
	}

}
