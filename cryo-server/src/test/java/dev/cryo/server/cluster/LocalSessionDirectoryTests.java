package dev.cryo.server.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory {@link SessionDirectory} of a single node. */
class LocalSessionDirectoryTests {

	private final LocalSessionDirectory directory = new LocalSessionDirectory("node-a");

	@Test
	void anIdIsReservedOnceUntilItIsReleased() {
		assertThat(this.directory.reserve(7)).isTrue();
		assertThat(this.directory.reserve(7)).isFalse();
		this.directory.release(7);
		assertThat(this.directory.reserve(7)).isTrue();
	}

	@Test
	void aHeldIdIsLocatedOnThisNode() {
		assertThat(this.directory.locate(7)).isEmpty();
		this.directory.reserve(7);
		assertThat(this.directory.locate(7)).contains("node-a");
		assertThat(new LocalSessionDirectory().locate(7)).isEmpty();
	}

	@Test
	void claimsDoNotExpireSoRefreshingChangesNothing() {
		this.directory.reserve(7);
		this.directory.refresh(7);
		this.directory.refresh(8);
		assertThat(this.directory.locate(7)).contains("node-a");
		assertThat(this.directory.locate(8)).isEmpty();
	}

	@Test
	void releasingAnIdThatIsNotHeldDoesNothing() {
		this.directory.release(9);
		assertThat(this.directory.reserve(9)).isTrue();
	}

}
