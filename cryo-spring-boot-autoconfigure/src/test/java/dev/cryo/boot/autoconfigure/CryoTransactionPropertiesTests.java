package dev.cryo.boot.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.cryo.core.transaction.TransactionOptions;
import dev.cryo.server.CryoServerSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.transactions.*}: defaults, binding into the session options, and validation.
 */
class CryoTransactionPropertiesTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class));

	@Test
	void defaultsReachTheSessionOptions() {
		this.runner.run((context) -> {
			TransactionOptions options = context.getBean(CryoServerSettings.class).sessionOptions().transactions();
			assertThat(options.chunkSize()).isEqualTo(64 * 1024);
			assertThat(options.memoryThreshold()).isEqualTo(1024 * 1024);
			assertThat(options.maxSize()).isEqualTo(4L * 1024 * 1024 * 1024);
			assertThat(options.maxConcurrent()).isEqualTo(8);
			assertThat(options.pullWindow()).isEqualTo(1024 * 1024);
			assertThat(options.temporaryDirectory()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
		});
	}

	@Test
	void propertiesBind() {
		this.runner
			.withPropertyValues("cryo.transactions.chunk-size=16KB", "cryo.transactions.memory-threshold=0",
					"cryo.transactions.max-size=10MB", "cryo.transactions.max-concurrent=2",
					"cryo.transactions.pull-window=256KB", "cryo.transactions.temporary-directory=/var/tmp")
			.run((context) -> {
				TransactionOptions options = context.getBean(CryoServerSettings.class).sessionOptions().transactions();
				assertThat(options.chunkSize()).isEqualTo(16 * 1024);
				assertThat(options.memoryThreshold()).isZero();
				assertThat(options.maxSize()).isEqualTo(10L * 1024 * 1024);
				assertThat(options.maxConcurrent()).isEqualTo(2);
				assertThat(options.pullWindow()).isEqualTo(256 * 1024);
				assertThat(options.temporaryDirectory()).isEqualTo(Path.of("/var/tmp"));
			});
	}

	@Test
	void aChunkSizeOverSixteenMebibytesFailsNamingTheProperty() {
		this.runner.withPropertyValues("cryo.transactions.chunk-size=17MB")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("cryo.transactions.chunk-size must be between 1B and 16MB"));
	}

	@Test
	void maxConcurrentBelowOneFailsNamingTheProperty() {
		this.runner.withPropertyValues("cryo.transactions.max-concurrent=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("cryo.transactions.max-concurrent must be at least 1"));
	}

	@Test
	void theLimitsOfIssue13HaveDefaultsAndBind() {
		this.runner.run((context) -> {
			TransactionOptions options = context.getBean(CryoServerSettings.class).sessionOptions().transactions();
			assertThat(options.maxConcurrentOutgoing()).isEqualTo(8);
			assertThat(options.pullReadAhead()).isEqualTo(1024 * 1024);
			assertThat(options.pullRetention()).isEqualTo(16 * 1024 * 1024);
			assertThat(options.spillQuota()).isEqualTo(8L * 1024 * 1024 * 1024);
			assertThat(options.minFreeSpace()).isEqualTo(512L * 1024 * 1024);
			assertThat(options.threads()).isEqualTo(8);
		});
		this.runner
			.withPropertyValues("cryo.transactions.max-concurrent-outgoing=3", "cryo.transactions.pull-read-ahead=0",
					"cryo.transactions.pull-retention=2MB", "cryo.transactions.spill-quota=0",
					"cryo.transactions.min-free-space=1GB", "cryo.transactions.max-threads=2")
			.run((context) -> {
				TransactionOptions options = context.getBean(CryoServerSettings.class).sessionOptions().transactions();
				assertThat(options.maxConcurrentOutgoing()).isEqualTo(3);
				assertThat(options.pullReadAhead()).isZero();
				assertThat(options.pullRetention()).isEqualTo(2 * 1024 * 1024);
				assertThat(options.spillQuota()).isZero();
				assertThat(options.minFreeSpace()).isEqualTo(1024L * 1024 * 1024);
				assertThat(options.threads()).isEqualTo(2);
			});
	}

	@Test
	void maxConcurrentOutgoingAndMaxThreadsBelowOneFailNamingTheProperty() {
		this.runner.withPropertyValues("cryo.transactions.max-concurrent-outgoing=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("cryo.transactions.max-concurrent-outgoing must be at least 1"));
		this.runner.withPropertyValues("cryo.transactions.max-threads=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("cryo.transactions.max-threads must be at least 1"));
	}

}
