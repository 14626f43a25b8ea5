package dev.cryo.core.dialect.legacy.cale;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.jspecify.annotations.Nullable;

/**
 * The AES-128-GCM layer of one CALE session, for one side (legacy-v0.md §7.3, §10.4). A message
 * is {@code IV (12) ‖ ciphertext (as long as the frame) ‖ tag (16)}, with no additional
 * authenticated data; the IV is 8 zero bytes and a u32 big-endian counter that starts at 0 and
 * counts the messages of one direction.
 *
 * <p><b>Sending.</b> {@link #encrypt(byte[])} uses the next counter of the transmit direction.
 * For the {@linkplain CaleRole#SERVER server} it also applies our rule of §10.4: the published
 * receivers take any message whose byte 20 is ≤ 7 for a plaintext frame of that type, so a
 * message whose byte 20 (byte 8 of the ciphertext) came out ≤ 7 is discarded and the frame
 * encrypted again with the next counter, until it is not (about 3 % of frames need a second
 * encryption). A {@linkplain CaleRole#CLIENT client} cipher behaves like the published clients
 * instead and emits every result, so that a test client produces such messages as they do. The
 * counter never wraps: when none is left, encrypting throws {@link CaleNonceExhaustedException},
 * and keeps doing so.
 *
 * <p><b>Receiving.</b> {@link #decrypt(ByteBuffer)} takes the IV as the message carries it and
 * checks neither order nor repetition (the browser client may send its IVs out of order, and
 * legacy-v0.md asks for no replay check). A message that does not authenticate under the
 * receive key — garbage, a plaintext frame, anything shorter than IV and tag — yields
 * {@code null}; no exception escapes for any input.
 *
 * <p><b>Threads.</b> Safe for use by several threads: encryption and decryption each hold a
 * lock of their own (each direction has its own JDK {@link Cipher}), so one sending and one
 * receiving thread never wait for each other.
 */
public final class CaleCipher {

	/** Bytes of the IV at the start of a message. */
	public static final int IV_LENGTH = 12;

	/** Bytes of the GCM tag at the end of a message. */
	public static final int TAG_LENGTH = 16;

	/** Bytes a message adds to its frame. */
	public static final int OVERHEAD = IV_LENGTH + TAG_LENGTH;

	/** One more than the last IV counter: counters run from 0 to 2^32-1. */
	static final long COUNTER_LIMIT = 1L << 32;

	/** The byte of a message that the published receivers read as a type. */
	private static final int TYPE_OFFSET = 20;

	/** The highest type code of the legacy generation; a byte 20 up to this is read as plaintext. */
	private static final int HIGHEST_TYPE = 7;

	/** Offset of the counter in the IV, after its 8 zero bytes. */
	private static final int COUNTER_OFFSET = 8;

	private final CaleRole role;

	private final SecretKey transmitKey;

	private final SecretKey receiveKey;

	private final Object encryptLock = new Object();

	private final Object decryptLock = new Object();

	/** Guarded by {@link #encryptLock}. */
	private final Cipher encryptor;

	/** Guarded by {@link #decryptLock}. */
	private final Cipher decryptor;

	/** The next IV counter to use, up to {@link #COUNTER_LIMIT} (= exhausted); guarded by {@link #encryptLock}. */
	private long nextCounter;

	CaleCipher(CaleKeys keys, CaleRole role, long firstCounter) {
		if (firstCounter < 0 || firstCounter > COUNTER_LIMIT) {
			throw new IllegalArgumentException("an IV counter lies between 0 and 2^32");
		}
		this.role = role;
		this.transmitKey = keys.transmitKey(role);
		this.receiveKey = keys.receiveKey(role);
		this.encryptor = newCipher();
		this.decryptor = newCipher();
		this.nextCounter = firstCounter;
	}

	/** The server side of a session: transmits with {@code H[0..16)} and applies the byte-20 rule. */
	public static CaleCipher forServer(CaleKeys keys) {
		return new CaleCipher(keys, CaleRole.SERVER, 0);
	}

	/**
	 * The client side of a session, for test clients: transmits with {@code H[16..32)} and, like
	 * the published clients, emits every encryption whatever its byte 20.
	 */
	public static CaleCipher forClient(CaleKeys keys) {
		return new CaleCipher(keys, CaleRole.CLIENT, 0);
	}

	/** The side this cipher works for. */
	public CaleRole role() {
		return this.role;
	}

	/**
	 * Encrypts a complete plaintext frame with the next IV counter(s) of the transmit direction.
	 * @param plainFrame the frame; read during the call only
	 * @return a new message, {@link #OVERHEAD} bytes longer than the frame
	 * @throws CaleNonceExhaustedException if no IV counter is left
	 */
	public byte[] encrypt(byte[] plainFrame) throws CaleNonceExhaustedException {
		return encrypt(plainFrame, 0, plainFrame.length);
	}

	/**
	 * Encrypts the remaining bytes of a buffer as {@link #encrypt(byte[])} does, without moving
	 * its position.
	 * @return a new heap buffer holding the message
	 */
	public ByteBuffer encrypt(ByteBuffer plainFrame) throws CaleNonceExhaustedException {
		if (plainFrame.hasArray()) {
			return ByteBuffer.wrap(encrypt(plainFrame.array(), plainFrame.arrayOffset() + plainFrame.position(),
					plainFrame.remaining()));
		}
		byte[] copy = new byte[plainFrame.remaining()];
		plainFrame.duplicate().get(copy);
		return ByteBuffer.wrap(encrypt(copy));
	}

	private byte[] encrypt(byte[] frame, int offset, int length) throws CaleNonceExhaustedException {
		synchronized (this.encryptLock) {
			while (this.nextCounter < COUNTER_LIMIT) {
				int counter = (int) this.nextCounter;
				this.nextCounter++;
				byte[] message = seal(this.encryptor, frame, offset, length, counter);
				if (this.role == CaleRole.CLIENT || (message[TYPE_OFFSET] & 0xFF) > HIGHEST_TYPE) {
					return message;
				}
				// A published client would route this message as a plaintext frame of type
				// message[20] and lose it, or worse (legacy-v0.md §7.4): spend the next counter.
			}
			throw new CaleNonceExhaustedException();
		}
	}

	/**
	 * Encrypts a frame with exactly the given IV counter, without the byte-20 rule and without
	 * touching the counter of {@link #encrypt(byte[])}: for test clients that reproduce a
	 * published client's message, e.g. one sent out of IV order or one whose byte 20 is ≤ 7.
	 * Re-using a counter breaks GCM, which is why only a {@linkplain CaleRole#CLIENT client}
	 * cipher offers this.
	 * @param ivCounter the counter, read as unsigned
	 * @throws IllegalStateException for a server cipher
	 */
	public byte[] encryptWithCounter(byte[] plainFrame, int ivCounter) {
		if (this.role != CaleRole.CLIENT) {
			throw new IllegalStateException("only a client cipher encrypts with a chosen IV counter");
		}
		// A cipher of its own: the JDK refuses to encrypt twice in a row with one key and IV,
		// which a test client may want to do on purpose.
		return seal(newCipher(), plainFrame, 0, plainFrame.length, ivCounter);
	}

	private byte[] seal(Cipher cipher, byte[] frame, int offset, int length, int counter) {
		byte[] message = new byte[IV_LENGTH + length + TAG_LENGTH];
		message[COUNTER_OFFSET] = (byte) (counter >>> 24);
		message[COUNTER_OFFSET + 1] = (byte) (counter >>> 16);
		message[COUNTER_OFFSET + 2] = (byte) (counter >>> 8);
		message[COUNTER_OFFSET + 3] = (byte) counter;
		try {
			cipher.init(Cipher.ENCRYPT_MODE, this.transmitKey, new GCMParameterSpec(TAG_LENGTH * 8, message, 0, IV_LENGTH));
			int written = cipher.doFinal(frame, offset, length, message, IV_LENGTH);
			if (written != length + TAG_LENGTH) {
				throw new IllegalStateException("AES-GCM wrote " + written + " bytes instead of " + (length + TAG_LENGTH));
			}
			return message;
		}
		catch (GeneralSecurityException ex) {
			// A valid AES key, a fresh IV and a buffer of the exact size: nothing about the
			// input can make this fail, so a failure is a defect of the platform.
			throw new IllegalStateException("AES-GCM encryption failed", ex);
		}
	}

	/**
	 * Decrypts and authenticates a received message with the receive key and the IV it carries.
	 * @param message the message from its position to its limit; read during the call only, its
	 * position is not moved
	 * @return a new heap buffer holding the plaintext (for a peer that follows the protocol, a
	 * complete frame; it may be shorter than a frame header, which the codec judges), or
	 * {@code null} if the message is not authentic
	 */
	public @Nullable ByteBuffer decrypt(ByteBuffer message) {
		int length = message.remaining();
		if (length < OVERHEAD) {
			return null;
		}
		byte[] bytes;
		int offset;
		if (message.hasArray()) {
			bytes = message.array();
			offset = message.arrayOffset() + message.position();
		}
		else {
			bytes = new byte[length];
			message.duplicate().get(bytes);
			offset = 0;
		}
		byte[] plain = open(bytes, offset, length);
		return (plain != null) ? ByteBuffer.wrap(plain) : null;
	}

	/**
	 * Decrypts a whole array as {@link #decrypt(ByteBuffer)} does.
	 * @return the plaintext, or {@code null} if the message is not authentic
	 */
	public byte @Nullable [] decrypt(byte[] message) {
		return (message.length < OVERHEAD) ? null : open(message, 0, message.length);
	}

	private byte @Nullable [] open(byte[] bytes, int offset, int length) {
		synchronized (this.decryptLock) {
			try {
				this.decryptor.init(Cipher.DECRYPT_MODE, this.receiveKey,
						new GCMParameterSpec(TAG_LENGTH * 8, bytes, offset, IV_LENGTH));
				return this.decryptor.doFinal(bytes, offset + IV_LENGTH, length - IV_LENGTH);
			}
			catch (AEADBadTagException ex) {
				return null;
			}
			catch (GeneralSecurityException ex) {
				// The key is valid and the IV always 12 bytes; only the tag depends on the input.
				throw new IllegalStateException("AES-GCM decryption failed", ex);
			}
		}
	}

	/** The next IV counter {@link #encrypt(byte[])} would try; 2^32 once exhausted. For tests. */
	long nextCounter() {
		synchronized (this.encryptLock) {
			return this.nextCounter;
		}
	}

	private static Cipher newCipher() {
		try {
			return Cipher.getInstance("AES/GCM/NoPadding");
		}
		catch (NoSuchAlgorithmException | NoSuchPaddingException ex) {
			throw new IllegalStateException("the JDK has no AES/GCM/NoPadding", ex);
		}
	}

	/** Names the role only, never the keys or the counter. */
	@Override
	public String toString() {
		return "CaleCipher[" + this.role + "]";
	}

}
