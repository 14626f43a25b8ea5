package dev.cryo.server.web;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import dev.cryo.server.support.ReassemblyBudget;
import dev.cryo.server.support.ReassemblyShare;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How one connection joins the parts of its messages within the per-message limit and the
 * server's reassembly budget.
 */
class MessageAssemblerTests {

	private static final int KIB = 1024;

	private final ReassemblyBudget budget = new ReassemblyBudget(64L * KIB * KIB);

	private final MessageAssembler assembler = new MessageAssembler(16 * KIB * KIB, this.budget);

	@Test
	void aSmallMessageInOnePartIsPassedOnInTheContainersBuffer() {
		ByteBuffer part = bytes(0, 100);
		assertThat(this.assembler.append(part, true)).isSameAs(part);
		assertThat(this.assembler.joined()).isFalse();
		assertThat(this.budget.held()).isZero();
	}

	@Test
	void aLargeMessageInOnePartIsCopiedOnceIntoAnArrayOfItsOwnAndReservedUntilDelivered() {
		ByteBuffer part = bytes(0, 100 * KIB);
		ByteBuffer message = this.assembler.append(part, true);
		assertThat(message).isNotSameAs(part).isEqualTo(bytes(0, 100 * KIB));
		assertThat(message.array()).hasSize(100 * KIB);
		assertThat(this.assembler.joined()).isTrue();
		assertThat(this.budget.held()).isEqualTo(100 * KIB);
		this.assembler.delivered();
		assertThat(this.budget.held()).isZero();
	}

	@Test
	void partsAreJoinedIntoOneArrayOfExactlyTheMessagesLength() {
		int length = 3 * KIB * KIB + 17;
		ByteBuffer message = null;
		for (int offset = 0; offset < length; offset += KIB) {
			int size = Math.min(KIB, length - offset);
			message = this.assembler.append(bytes(offset, size), offset + size == length);
		}
		assertThat(message).isNotNull();
		assertThat(message.array()).hasSize(length);
		assertThat(message).isEqualTo(bytes(0, length));
		assertThat(this.assembler.joined()).isTrue();
		// Only the joined message is held now, until it has been handled.
		assertThat(this.budget.held()).isEqualTo(length);
		this.assembler.delivered();
		assertThat(this.budget.held()).isZero();
	}

	@Test
	void theReservationGrowsInStepsWithTheMessageNotToTheLimitUpFront() {
		this.assembler.append(bytes(0, KIB), false);
		// A first block of 16 KiB, counted twice (the block and its share of the joined message).
		assertThat(this.budget.held()).isEqualTo(2 * 16 * KIB);
		for (int offset = KIB; offset < 4 * KIB * KIB; offset += KIB) {
			this.assembler.append(bytes(offset, KIB), false);
		}
		// 4 MiB received: blocks of 16 KiB doubling the total up to 1 MiB, then 1 MiB each.
		assertThat(this.budget.held()).isEqualTo(2L * 4 * KIB * KIB);
	}

	@Test
	void aMessageOverTheLimitIsRefusedAsTooBigAndGivesItsReservationBack() {
		MessageAssembler limited = new MessageAssembler(10 * KIB, this.budget);
		assertThat(limited.append(bytes(0, 8 * KIB), false)).isNull();
		assertThat(this.budget.held()).isPositive();
		assertThat(limited.append(bytes(0, 4 * KIB), true)).isNull();
		assertThat(limited.takeRefusal()).isEqualTo(ReassemblyShare.Refusal.TOO_BIG);
		assertThat(limited.takeRefusal()).isNull();
		assertThat(this.budget.held()).isZero();
		// What the connection still delivers is discarded.
		assertThat(limited.append(bytes(0, 10), true)).isNull();
	}

	@Test
	void aWholeMessageOverTheLimitIsRefusedToo() {
		MessageAssembler limited = new MessageAssembler(10 * KIB, this.budget);
		assertThat(limited.append(bytes(0, 10 * KIB), true)).isNotNull();
		assertThat(limited.append(bytes(0, 10 * KIB + 1), true)).isNull();
		assertThat(limited.takeRefusal()).isEqualTo(ReassemblyShare.Refusal.TOO_BIG);
	}

	@Test
	void aMessageThatDoesNotFitIntoWhatIsLeftOfTheBudgetIsRefusedForNow() {
		ReassemblyBudget small = new ReassemblyBudget(KIB * KIB);
		MessageAssembler first = new MessageAssembler(16 * KIB * KIB, small);
		MessageAssembler second = new MessageAssembler(16 * KIB * KIB, small);
		for (int offset = 0; offset < 256 * KIB; offset += KIB) {
			assertThat(first.append(bytes(offset, KIB), false)).isNull();
		}
		assertThat(first.takeRefusal()).isNull();
		assertThat(small.held()).isEqualTo(2L * 256 * KIB);
		// The second fits its first 256 KiB into the other half, but not the block after them.
		for (int offset = 0; offset < 300 * KIB; offset += KIB) {
			second.append(bytes(offset, KIB), false);
		}
		assertThat(second.takeRefusal()).isEqualTo(ReassemblyShare.Refusal.NO_ROOM);
		// The refused message gave back what it held; the first goes on.
		assertThat(small.held()).isEqualTo(2L * 256 * KIB);
		assertThat(first.append(bytes(256 * KIB, KIB), true)).isEqualTo(bytes(0, 257 * KIB));
	}

	@Test
	void aMessageLargerThanTheWholeBudgetIsTooBigNotTryAgainLater() {
		ReassemblyBudget small = new ReassemblyBudget(KIB * KIB);
		MessageAssembler assembler = new MessageAssembler(16 * KIB * KIB, small);
		for (int offset = 0; offset < KIB * KIB && assembler.append(bytes(offset, KIB), false) == null
				&& small.held() > 0; offset += KIB) {
			// Fills the budget on its own.
		}
		assertThat(assembler.takeRefusal()).isEqualTo(ReassemblyShare.Refusal.TOO_BIG);
		assertThat(small.held()).isZero();
	}

	@Test
	void closingGivesEverythingBackAndDiscardsWhatStillArrives() {
		this.assembler.append(bytes(0, 100 * KIB), false);
		assertThat(this.budget.held()).isPositive();
		this.assembler.close();
		assertThat(this.budget.held()).isZero();
		assertThat(this.assembler.append(bytes(0, 100 * KIB), true)).isNull();
		assertThat(this.assembler.takeRefusal()).isNull();
		assertThat(this.budget.held()).isZero();
	}

	@Test
	void closingWhileAMessageIsHandledReleasesItOnce() {
		this.assembler.append(bytes(0, 100 * KIB), true);
		this.assembler.close();
		this.assembler.delivered();
		assertThat(this.budget.held()).isZero();
	}

	/** {@code length} bytes whose values follow their offset in the message. */
	private static ByteBuffer bytes(int offset, int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) ((offset + i) % 251);
		}
		return ByteBuffer.wrap(bytes);
	}

}
