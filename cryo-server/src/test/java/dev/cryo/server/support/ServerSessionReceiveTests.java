package dev.cryo.server.support;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.support.InMemoryServer.Peer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copies on a server session's receive path: a binary message in a buffer its sender
 * reuses is copied once, one in an array of its own is not copied at all, and either way the
 * event owns bytes nobody changes.
 */
class ServerSessionReceiveTests {

	@Test
	void aMessageInAReusedBufferIsCopiedOnceSoTheEventOwnsItsBytes() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer peer = memory.connect(1);
			ByteBuffer reused = FrameCodec.encode(new BinaryDataFrame(peer.session().id(), peer.nextAck(),
					ByteBuffer.wrap(new byte[] { 1, 2, 3 })));
			peer.send(reused, false);
			// The container overwrites its buffer with the next message.
			reused.clear();
			while (reused.hasRemaining()) {
				reused.put((byte) 9);
			}
			assertThat(memory.events(CryoBinaryMessageEvent.class)).singleElement()
				.satisfies((event) -> assertThat(event.bytes()).containsExactly(1, 2, 3));
		}
	}

	@Test
	void aMessageInAnArrayOfItsOwnReachesTheEventWithoutACopy() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer peer = memory.connect(1);
			byte[] payload = new byte[100_000];
			Arrays.fill(payload, (byte) 7);
			ByteBuffer own = FrameCodec.encode(new BinaryDataFrame(peer.session().id(), peer.nextAck(),
					ByteBuffer.wrap(payload)));
			peer.send(own, true);
			CryoBinaryMessageEvent event = memory.events(CryoBinaryMessageEvent.class).get(0);
			assertThat(event.size()).isEqualTo(100_000);
			// The event views the message's array: a change to it (which nobody makes) shows.
			own.put(own.limit() - 1, (byte) 8);
			assertThat(event.payload().get(99_999)).isEqualTo((byte) 8);
		}
	}

}
