package dev.cryo.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import dev.cryo.server.support.ReassemblyBudget;
import dev.cryo.server.support.ReassemblyShare;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NettyMessageAssembler}: fragments joined without copies, within the message limit and
 * the server's reassembly budget, and every reserved byte given back.
 */
class NettyMessageAssemblerTests {

	private static final int LIMIT = 1024 * 1024;

	private final ReassemblyBudget budget = new ReassemblyBudget(4L * LIMIT);

	private final NettyMessageAssembler assembler = new NettyMessageAssembler(LIMIT, this.budget,
			UnpooledByteBufAllocator.DEFAULT);

	@Test
	void aSmallMessageInOneFrameIsPassedOnAsItIsWithoutAReservation() {
		ByteBuf frame = bytes(100, 1);
		ByteBuf message = this.assembler.append(frame, true);
		assertThat(message).isSameAs(frame);
		assertThat(this.budget.held()).isZero();
		message.release();
	}

	@Test
	void aLargeMessageInOneFrameIsReservedUntilDelivered() {
		ByteBuf message = this.assembler.append(bytes(NettyMessageAssembler.PASS_THROUGH_LIMIT + 1, 1), true);
		assertThat(message).isNotNull();
		assertThat(this.budget.held()).isEqualTo(NettyMessageAssembler.PASS_THROUGH_LIMIT + 1);
		message.release();
		this.assembler.delivered();
		assertThat(this.budget.held()).isZero();
	}

	@Test
	void fragmentsAreComponentsOfOneBufferNotCopies() {
		ByteBuf first = bytes(1000, 1);
		ByteBuf second = bytes(500, 2);
		assertThat(this.assembler.append(first, false)).isNull();
		ByteBuf message = this.assembler.append(second, true);
		assertThat(message).isNotNull();
		assertThat(message.readableBytes()).isEqualTo(1500);
		assertThat(message.nioBufferCount()).isEqualTo(2);
		assertThat(message.getByte(999)).isEqualTo((byte) 1);
		assertThat(message.getByte(1000)).isEqualTo((byte) 2);
		// Each fragment counts twice: itself and its share of the joined copy.
		assertThat(this.budget.held()).isEqualTo(3000);
		message.release();
		this.assembler.delivered();
		assertThat(this.budget.held()).isZero();
		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
	}

	@Test
	void fragmentsOverTheLimitAreRefusedAsTooBigAndReleased() {
		ByteBuf first = bytes(LIMIT / 2 + 1, 1);
		ByteBuf second = bytes(LIMIT / 2 + 1, 2);
		assertThat(this.assembler.append(first, false)).isNull();
		assertThat(this.assembler.append(second, true)).isNull();
		assertThat(this.assembler.takeRefusal()).isEqualTo(ReassemblyShare.Refusal.TOO_BIG);
		assertThat(this.assembler.takeRefusal()).isNull();
		assertThat(this.budget.held()).isZero();
		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
	}

	@Test
	void aMessageThatDoesNotFitIntoWhatIsLeftOfTheBudgetIsRefusedForNow() {
		assertThat(this.budget.tryReserve(4L * LIMIT - 1000)).isTrue();
		assertThat(this.assembler.append(bytes(600, 1), false)).isNull();
		assertThat(this.assembler.takeRefusal()).isEqualTo(ReassemblyShare.Refusal.NO_ROOM);
		this.budget.release(4L * LIMIT - 1000);
		assertThat(this.budget.held()).isZero();
	}

	@Test
	void whatArrivesAfterARefusalIsDiscarded() {
		this.assembler.append(bytes(LIMIT + 1, 1), true);
		ByteBuf later = bytes(10, 1);
		assertThat(this.assembler.append(later, true)).isNull();
		assertThat(later.refCnt()).isZero();
	}

	@Test
	void closingGivesBackWhatAMessageInProgressHeld() {
		ByteBuf first = bytes(1000, 1);
		this.assembler.append(first, false);
		assertThat(this.budget.held()).isEqualTo(2000);
		this.assembler.close();
		assertThat(this.budget.held()).isZero();
		assertThat(first.refCnt()).isZero();
	}

	private static ByteBuf bytes(int size, int value) {
		ByteBuf buffer = Unpooled.buffer(size);
		for (int i = 0; i < size; i++) {
			buffer.writeByte(value);
		}
		return buffer;
	}

}
