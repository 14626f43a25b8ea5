package dev.cryo.core;

import org.junit.jupiter.api.Test;

import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.TxStartFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The values that carry a peer's text read escaped and bounded in their {@code toString()},
 * which is what a log writes when it writes the value.
 */
class PeerTextToStringTests {

	private static final SessionId SID = SessionId.of(7);

	private static final String FORGED = "x\nERROR admin login OK";

	@Test
	void closeInfoEscapesItsReason() {
		assertThat(new CloseInfo(4000, FORGED, CloseInfo.Initiator.PEER))
			.hasToString("CloseInfo[code=4000, reason=\"x\\nERROR admin login OK\", initiator=PEER]");
	}

	@Test
	void byeAndErrorFramesEscapeTheirText() {
		assertThat(new ByeFrame(SID, 1, FORGED)).hasToString("BYE[sid=7, ack=1, reason=\"x\\nERROR admin login OK\"]");
		assertThat(new ErrorFrame(SID, 2, FORGED))
			.hasToString("ERROR[sid=7, ack=2, message=\"x\\nERROR admin login OK\"]");
	}

	@Test
	void txStartCutsAHugeName() {
		String name = "n".repeat(1024 * 1024);
		assertThat(new TxStartFrame(SID, 1, 3, name).toString()).hasSizeLessThan(400)
			.endsWith("[... " + (name.length() - LogText.DEFAULT_MAX_CHARS) + " more chars]\"]");
	}

}
