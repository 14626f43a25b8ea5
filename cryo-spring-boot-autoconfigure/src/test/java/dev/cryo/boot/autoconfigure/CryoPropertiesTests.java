package dev.cryo.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.Ssl;
import org.springframework.util.unit.DataSize;

import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.engine.DropPolicy;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.GroupLimits;
import dev.cryo.server.TokenValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link CryoProperties}: defaults, binding of every kind of value, and startup
 * validation with messages that name the offending property.
 */
class CryoPropertiesTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class))
		.withBean(TokenValidator.class, () -> (token) -> true);

	// ---- defaults

	@Test
	void defaultsMatchTheProtocolAndTheSeed() {
		CryoProperties properties = new CryoProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getPath()).isEqualTo("/cryo");
		assertThat(properties.getKeepAliveInterval()).isEqualTo(Duration.ofSeconds(15));
		assertThat(properties.getAckTimeout()).isEqualTo(Duration.ofMillis(2500));
		assertThat(properties.getEndpointInfoTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.getMaxMalformedFrames()).isEqualTo(16);
		assertThat(properties.getAllowedOrigins()).isEmpty();
		assertThat(properties.getAllowedOriginPatterns()).isEmpty();
		CryoProperties.Backpressure backpressure = properties.getBackpressure();
		assertThat(backpressure.getHighWaterMark()).isEqualTo(DataSize.ofMegabytes(16));
		assertThat(backpressure.getLowWaterMark()).isEqualTo(DataSize.ofMegabytes(1));
		assertThat(backpressure.getMaxQueuedBytes()).isEqualTo(DataSize.ofMegabytes(8));
		assertThat(backpressure.getMaxQueueCount()).isEqualTo(1024);
		assertThat(backpressure.getDropPolicy()).isEqualTo(DropPolicy.DROP_OLDEST);
		assertThat(properties.getFirstFrameDelay()).isEqualTo(Duration.ofMillis(20));
		assertThat(properties.getEndpointInfoGrace()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.getV1().getTransactionLayout()).isEqualTo(CryoProperties.V1.Layout.SEED);
		assertThat(properties.getDialects().getCamp().isEnabled()).isTrue();
		assertThat(properties.getClientScript().isEnabled()).isTrue();
		assertThat(properties.getClientScript().getPath()).isEqualTo("/cryo-client");
	}

	@Test
	void defaultsPassValidation() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(CryoProperties.class));
	}

	// ---- binding

	@Test
	void pathBinds() {
		this.contextRunner.withPropertyValues("cryo.path=/realtime")
			.run((context) -> assertThat(context.getBean(CryoProperties.class).getPath()).isEqualTo("/realtime"));
	}

	@ParameterizedTest(name = "cryo.ack-timeout={0} is {1} ms")
	@CsvSource({ "100ms, 100", "2s, 2000", "PT1M, 60000", "750, 750" })
	void durationsBindInBootFormats(String value, long millis) {
		this.contextRunner.withPropertyValues("cryo.ack-timeout=" + value).run((context) -> {
			assertThat(context.getBean(CryoProperties.class).getAckTimeout()).isEqualTo(Duration.ofMillis(millis));
			assertThat(context.getBean(CryoServerSettings.class).sessionOptions().ackTimeout())
				.isEqualTo(Duration.ofMillis(millis));
		});
	}

	@Test
	void timingsAndLimitsBindAndReachTheServerSettings() {
		this.contextRunner
			.withPropertyValues("cryo.keep-alive-interval=300ms", "cryo.ack-timeout=100ms",
					"cryo.endpoint-info-timeout=500ms", "cryo.max-malformed-frames=4")
			.run((context) -> {
				CryoProperties properties = context.getBean(CryoProperties.class);
				assertThat(properties.getKeepAliveInterval()).isEqualTo(Duration.ofMillis(300));
				assertThat(properties.getEndpointInfoTimeout()).isEqualTo(Duration.ofMillis(500));
				assertThat(properties.getMaxMalformedFrames()).isEqualTo(4);
				CryoServerSettings settings = context.getBean(CryoServerSettings.class);
				assertThat(settings.keepAliveInterval()).isEqualTo(Duration.ofMillis(300));
				assertThat(settings.sessionOptions().ackTimeout()).isEqualTo(Duration.ofMillis(100));
				assertThat(settings.sessionOptions().endpointInfoTimeout()).isEqualTo(Duration.ofMillis(500));
				assertThat(settings.sessionOptions().maxMalformedFrames()).isEqualTo(4);
			});
	}

	@Test
	void sessionStartPropertiesBindAndReachTheServerSettings() {
		this.contextRunner
			.withPropertyValues("cryo.first-frame-delay=0ms", "cryo.endpoint-info-grace=250ms",
					"cryo.v1.transaction-layout=cryo-protocol-1.4")
			.run((context) -> {
				CryoProperties properties = context.getBean(CryoProperties.class);
				assertThat(properties.getFirstFrameDelay()).isZero();
				assertThat(properties.getEndpointInfoGrace()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.getV1().getTransactionLayout())
					.isEqualTo(CryoProperties.V1.Layout.CRYO_PROTOCOL_1_4);
				SessionOptions options = context.getBean(CryoServerSettings.class).sessionOptions();
				assertThat(options.firstFrameDelay()).isZero();
				assertThat(options.endpointInfoGrace()).isEqualTo(Duration.ofMillis(250));
				assertThat(options.transactionLayout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			});
	}

	@ParameterizedTest(name = "cryo.v1.transaction-layout={0}")
	@CsvSource({ "seed, SEED", "SEED, SEED", "cryo-protocol-1.4, CRYO_PROTOCOL_1_4",
			"cryo-protocol-1-4, CRYO_PROTOCOL_1_4", "CRYO_PROTOCOL_1_4, CRYO_PROTOCOL_1_4" })
	void transactionLayoutBindsFromItsWrittenNames(String value, TransactionLayout expected) {
		this.contextRunner.withPropertyValues("cryo.v1.transaction-layout=" + value)
			.run((context) -> assertThat(context.getBean(CryoServerSettings.class).sessionOptions().transactionLayout())
				.isEqualTo(expected));
	}

	@Test
	void limitsBindAndReachTheServerSettings() {
		this.contextRunner
			.withPropertyValues("cryo.limits.max-message-size=1MB", "cryo.limits.reassembly-budget=64MB",
					"cryo.limits.max-expedited-frames=100")
			.run((context) -> {
				CryoServerSettings settings = context.getBean(CryoServerSettings.class);
				assertThat(settings.receiveLimits().maxMessageSize()).isEqualTo(1024 * 1024);
				assertThat(settings.receiveLimits().reassemblyBudget()).isEqualTo(64L * 1024 * 1024);
				assertThat(settings.sessionOptions().backpressure().maxExpeditedFrames()).isEqualTo(100);
			});
	}

	@Test
	void groupLimitsBindAndReachTheServerSettings() {
		this.contextRunner.withPropertyValues("cryo.groups.max-name-length=32", "cryo.groups.max-per-session=8")
			.run((context) -> assertThat(context.getBean(CryoServerSettings.class).groupLimits())
				.isEqualTo(new GroupLimits(32, 8)));
	}

	@Test
	void groupLimitsDefaultTo256CharactersAnd64GroupsPerSession() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(CryoServerSettings.class).groupLimits()).isEqualTo(GroupLimits.DEFAULTS);
			assertThat(GroupLimits.DEFAULTS).isEqualTo(new GroupLimits(256, 64));
		});
	}

	@Test
	void limitsDefaultToTheProtocolsMessageSizeAQuarterOfTheHeapAnd4096Acks() {
		this.contextRunner.run((context) -> {
			CryoServerSettings settings = context.getBean(CryoServerSettings.class);
			assertThat(settings.receiveLimits().maxMessageSize(CryoV1Codec.MAX_MESSAGE_LENGTH))
				.isEqualTo(CryoV1Codec.MAX_MESSAGE_LENGTH);
			assertThat(settings.receiveLimits().reassemblyBudget()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
			assertThat(settings.sessionOptions().backpressure().maxExpeditedFrames()).isEqualTo(4096);
		});
	}

	@Test
	void backpressureDataSizesBind() {
		this.contextRunner
			.withPropertyValues("cryo.backpressure.high-water-mark=4MB", "cryo.backpressure.low-water-mark=512KB",
					"cryo.backpressure.max-queued-bytes=64MB", "cryo.backpressure.max-queue-count=10")
			.run((context) -> {
				CryoProperties.Backpressure backpressure = context.getBean(CryoProperties.class).getBackpressure();
				assertThat(backpressure.getHighWaterMark()).isEqualTo(DataSize.ofMegabytes(4));
				assertThat(backpressure.getLowWaterMark()).isEqualTo(DataSize.ofKilobytes(512));
				assertThat(backpressure.getMaxQueuedBytes()).isEqualTo(DataSize.ofMegabytes(64));
				assertThat(backpressure.getMaxQueueCount()).isEqualTo(10);
			});
	}

	@Test
	void plainNumbersBindAsBytes() {
		this.contextRunner.withPropertyValues("cryo.backpressure.low-water-mark=1024")
			.run((context) -> assertThat(context.getBean(CryoProperties.class).getBackpressure().getLowWaterMark())
				.isEqualTo(DataSize.ofBytes(1024)));
	}

	@ParameterizedTest(name = "cryo.backpressure.drop-policy={0}")
	@CsvSource({ "drop-oldest, DROP_OLDEST", "drop-newest, DROP_NEWEST", "dedupe-latest, DEDUPE_LATEST",
			"terminate, TERMINATE", "DROP_NEWEST, DROP_NEWEST" })
	void dropPolicyBindsFromItsKebabCaseName(String value, DropPolicy expected) {
		this.contextRunner.withPropertyValues("cryo.backpressure.drop-policy=" + value)
			.run((context) -> assertThat(context.getBean(CryoProperties.class).getBackpressure().getDropPolicy())
				.isEqualTo(expected));
	}

	@ParameterizedTest(name = "cryo.ssl.client-auth={0}")
	@CsvSource({ "none, NONE", "want, WANT", "need, NEED" })
	void clientAuthBindsFromItsLowerCaseName(String value, Ssl.ClientAuth expected) {
		CryoProperties properties = new CryoProperties();
		new Binder(new MapConfigurationPropertySource(Map.of("cryo.ssl.client-auth", value))).bind("cryo",
				Bindable.ofInstance(properties));
		assertThat(properties.getSsl().getClientAuth()).isEqualTo(expected);
	}

	@Test
	void allowedOriginsBindAsAList() {
		this.contextRunner.withPropertyValues("cryo.allowed-origins=https://a.example,https://b.example")
			.run((context) -> assertThat(context.getBean(CryoProperties.class).getAllowedOrigins())
				.containsExactly("https://a.example", "https://b.example"));
	}

	@Test
	void allowedOriginPatternsBindAsAList() {
		this.contextRunner.withPropertyValues("cryo.allowed-origin-patterns=https://*.a.example,http://localhost:[*]")
			.run((context) -> assertThat(context.getBean(CryoProperties.class).getAllowedOriginPatterns())
				.containsExactly("https://*.a.example", "http://localhost:[*]"));
	}

	// ---- validation

	private static final String CLIENT_SCRIPT_PATH_SHAPE = "cryo.client-script.path must start with '/', "
			+ "must not end with '/' and must not be '/'";

	static Stream<Arguments> invalidValues() {
		return Stream.of(
				arguments("cryo.path=cryo", "cryo.path must start with '/'"),
				arguments("cryo.keep-alive-interval=0s", "cryo.keep-alive-interval must be positive"),
				arguments("cryo.keep-alive-interval=-1s", "cryo.keep-alive-interval must be positive"),
				arguments("cryo.ack-timeout=0ms", "cryo.ack-timeout must be positive"),
				arguments("cryo.endpoint-info-timeout=-1ms", "cryo.endpoint-info-timeout must not be negative"),
				arguments("cryo.max-malformed-frames=0", "cryo.max-malformed-frames must be at least 1"),
				arguments("cryo.first-frame-delay=-1ms", "cryo.first-frame-delay must not be negative"),
				arguments("cryo.endpoint-info-grace=0s", "cryo.endpoint-info-grace must be positive"),
				arguments("cryo.backpressure.high-water-mark=0B",
						"cryo.backpressure.high-water-mark must be positive"),
				arguments("cryo.backpressure.low-water-mark=-1B",
						"cryo.backpressure.low-water-mark must not be negative"),
				arguments("cryo.backpressure.low-water-mark=16MB",
						"cryo.backpressure.low-water-mark must be below high-water-mark"),
				arguments("cryo.backpressure.low-water-mark=32MB",
						"cryo.backpressure.low-water-mark must be below high-water-mark"),
				arguments("cryo.backpressure.max-queued-bytes=0B",
						"cryo.backpressure.max-queued-bytes must be positive"),
				arguments("cryo.backpressure.max-queue-count=0",
						"cryo.backpressure.max-queue-count must be at least 1"),
				arguments("cryo.message-buffer-size=64B", "cryo.message-buffer-size must be between 128B and 2GB"),
				arguments("cryo.limits.max-message-size=63B", "cryo.limits.max-message-size must be at least 64B"),
				arguments("cryo.limits.reassembly-budget=0B", "cryo.limits.reassembly-budget must be positive"),
				arguments("cryo.limits.max-expedited-frames=0", "cryo.limits.max-expedited-frames must be at least 1"),
				arguments("cryo.ssl.client-auth=need",
						"cryo.ssl.client-auth needs cryo.ssl.bundle: client certificates are verified against its trust store"),
				arguments("cryo.client-script.path=cryo-client", CLIENT_SCRIPT_PATH_SHAPE),
				arguments("cryo.client-script.path=/", CLIENT_SCRIPT_PATH_SHAPE),
				arguments("cryo.client-script.path=/js/", CLIENT_SCRIPT_PATH_SHAPE),
				arguments("cryo.client-script.path=/cryo",
						"cryo.client-script.path must not contain the Cryo endpoint's paths [/cryo]"),
				arguments("cryo.groups.max-name-length=0", "cryo.groups.max-name-length must be at least 1"),
				arguments("cryo.groups.max-per-session=0", "cryo.groups.max-per-session must be at least 1"));
	}

	@Test
	void clientScriptPathIsNotCheckedWhenTheScriptIsNotServed() {
		this.contextRunner.withPropertyValues("cryo.client-script.enabled=false", "cryo.client-script.path=/cryo")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "{0} fails with \"{1}\"")
	@MethodSource("invalidValues")
	void invalidValueFailsStartupWithAMessageNamingTheProperty(String property, String message) {
		this.contextRunner.withPropertyValues(property)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessage(message));
	}

	@Test
	void lowWaterMarkJustBelowHighWaterMarkIsValid() {
		this.contextRunner
			.withPropertyValues("cryo.backpressure.high-water-mark=1MB", "cryo.backpressure.low-water-mark=1048575B")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void zeroLowWaterMarkIsValid() {
		this.contextRunner.withPropertyValues("cryo.backpressure.low-water-mark=0B")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "{0} cannot be converted")
	@CsvSource(delimiter = '|', value = { "cryo.ack-timeout=soon|cryo.ack-timeout",
			"cryo.backpressure.drop-policy=drop-everything|cryo.backpressure.drop-policy",
			"cryo.backpressure.high-water-mark=lots|cryo.backpressure.high-water-mark",
			"cryo.max-malformed-frames=many|cryo.max-malformed-frames",
			"cryo.groups.max-per-session=lots|cryo.groups.max-per-session",
			"cryo.v1.transaction-layout=camp|cryo.v1.transaction-layout" })
	void unconvertibleValueFailsStartupNamingTheProperty(String property, String name) {
		this.contextRunner.withPropertyValues(property)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Failed to bind properties under '" + name + "'"));
	}

	@Test
	void validationIsSkippedWhenCryoIsDisabled() {
		this.contextRunner.withPropertyValues("cryo.enabled=false", "cryo.path=nonsense")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CryoProperties.class));
	}

}
