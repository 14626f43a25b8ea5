package dev.cryo.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import dev.cryo.boot.autoconfigure.tomcat.CryoHttp11NioProtocol;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.dialect.camp.CampDialect;
import dev.cryo.core.dialect.legacy.LegacyDialect;
import dev.cryo.core.dialect.testing.TestDialect;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.server.CryoExtension;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.CryoSessionRegistry;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.server.web.CryoHandshakeInterceptor;
import dev.cryo.server.web.CryoOriginInterceptor;
import dev.cryo.server.web.CryoWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CryoAutoConfiguration}: what it contributes, when it backs off, and that
 * every bean it defines gives way to the user's.
 */
@ExtendWith(OutputCaptureExtension.class)
class CryoAutoConfigurationTests {

	private static final String HANDLER_MAPPING_NAME = "cryoWebSocketHandlerMapping";

	private static final String NO_TOKEN_VALIDATOR_WARNING = "No TokenValidator bean";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class))
		.withBean(TokenValidator.class, () -> (token) -> "secret".equals(token));

	// ---- Tomcat's protocol

	@Test
	@SuppressWarnings("unchecked")
	void tomcatGetsTheProtocolWithSendCompletionsOnThreadsOfTheirOwn() {
		this.contextRunner.run((context) -> {
			TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
			context.getBean("cryoTomcatProtocolCustomizer", WebServerFactoryCustomizer.class).customize(factory);
			assertThat(factory.getProtocol()).isEqualTo(CryoHttp11NioProtocol.class.getName());
			TomcatServletWebServerFactory chosen = new TomcatServletWebServerFactory();
			chosen.setProtocol("org.apache.coyote.http11.Http11Nio2Protocol");
			context.getBean("cryoTomcatProtocolCustomizer", WebServerFactoryCustomizer.class).customize(chosen);
			assertThat(chosen.getProtocol()).as("a protocol the application chose").isEqualTo(
					"org.apache.coyote.http11.Http11Nio2Protocol");
		});
	}

	@Test
	void tomcatKeepsItsProtocolWhenSeparateSendCompletionsAreOffOrCryoIsOnNetty() {
		this.contextRunner.withPropertyValues("cryo.tomcat.separate-send-completions=false")
			.run((context) -> assertThat(context).doesNotHaveBean("cryoTomcatProtocolCustomizer"));
		this.contextRunner.withPropertyValues("cryo.transport=netty", "cryo.port=0")
			.run((context) -> assertThat(context).doesNotHaveBean("cryoTomcatProtocolCustomizer"));
	}

	// ---- defaults

	@Test
	void contributesTheCryoBeansByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(CryoProperties.class)
			.hasSingleBean(CryoServer.class)
			.hasSingleBean(CryoServerSettings.class)
			.hasSingleBean(CryoHandshakeInterceptor.class)
			.hasSingleBean(CryoOriginInterceptor.class)
			.hasSingleBean(CryoWebSocketHandler.class)
			.hasBean(HANDLER_MAPPING_NAME));
	}

	@Test
	void handlerMappingMountsTheEndpointAtSlashCryoAheadOfOtherMappings() {
		this.contextRunner.run((context) -> {
			HandlerMapping mapping = context.getBean(HANDLER_MAPPING_NAME, HandlerMapping.class);
			assertThat(mapping).isInstanceOf(WebSocketHandlerMapping.class);
			WebSocketHandlerMapping webSocketMapping = (WebSocketHandlerMapping) mapping;
			assertThat(webSocketMapping.getOrder()).isEqualTo(-2);
			assertThat(webSocketMapping.getUrlMap()).containsOnlyKeys("/cryo");
			assertThat(webSocketMapping.getHandlerMap()).containsOnlyKeys("/cryo");
		});
	}

	@Test
	void endpointHandlerUsesTheCryoWebSocketHandlerAndHandshakeInterceptorBeans() {
		this.contextRunner.run((context) -> {
			WebSocketHttpRequestHandler requestHandler = requestHandler(context.getBean(HANDLER_MAPPING_NAME,
					SimpleUrlHandlerMapping.class));
			WebSocketHandler handler = WebSocketHandlerDecorator.unwrap(requestHandler.getWebSocketHandler());
			assertThat(handler).isSameAs(context.getBean(CryoWebSocketHandler.class));
			assertThat(requestHandler.getHandshakeInterceptors()).contains(context.getBean(CryoHandshakeInterceptor.class));
		});
	}

	@Test
	void withoutDialectBeansTheServerSpeaksCampLegacyAndV1() {
		this.contextRunner.run((context) -> {
			DefaultCryoServer server = (DefaultCryoServer) context.getBean(CryoServer.class);
			LegacyDialect legacy = context.getBean(LegacyDialect.class);
			assertThat(server.sessionFactory().dialects().all()).containsExactly(CampDialect.INSTANCE, legacy,
					CryoV1Dialect.INSTANCE);
			assertThat(legacy.calePaths()).isEmpty();
			assertThat(legacy.reconnectProbe()).isEqualTo(Duration.ofSeconds(3));
			assertThat(legacy.sessionIdBlock(4011)).isEqualTo(Duration.ofSeconds(60));
			assertThat(context.getBean(CryoWebSocketHandler.class).getSubProtocols()).containsExactly("camp");
		});
	}

	@Test
	void legacyCalePathsAreFurtherMappingsOfTheEndpointServedWithCale() {
		this.contextRunner
			.withPropertyValues("cryo.dialects.legacy.cale-paths=/cryo-cale,/cryo", "cryo.dialects.legacy.cale-failure-block=5s",
					"cryo.dialects.legacy.reconnect-probe=0s")
			.run((context) -> {
				LegacyDialect legacy = context.getBean(LegacyDialect.class);
				assertThat(legacy.calePaths()).containsExactlyInAnyOrder("/cryo-cale", "/cryo");
				assertThat(legacy.sessionIdBlock(4010)).isEqualTo(Duration.ofSeconds(5));
				assertThat(legacy.reconnectProbe()).isZero();
				WebSocketHandlerMapping mapping = context.getBean("cryoWebSocketHandlerMapping",
						WebSocketHandlerMapping.class);
				assertThat(mapping.getUrlMap()).containsOnlyKeys("/cryo", "/cryo-cale");
				assertThat(mapping.getUrlMap().get("/cryo-cale")).isSameAs(mapping.getUrlMap().get("/cryo"));
			});
	}

	@Test
	void legacyCalePathsMustBePaths() {
		this.contextRunner.withPropertyValues("cryo.dialects.legacy.cale-paths=cryo-cale")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cryo.dialects.legacy.cale-paths entries must start with '/'"));
	}

	@Test
	void withLegacyDisabledCalePathsAreNotMapped() {
		this.contextRunner
			.withPropertyValues("cryo.dialects.legacy.enabled=false", "cryo.dialects.legacy.cale-paths=/cryo-cale")
			.run((context) -> assertThat(context.getBean("cryoWebSocketHandlerMapping", WebSocketHandlerMapping.class)
				.getUrlMap()).containsOnlyKeys("/cryo"));
	}

	@Test
	void withCampAndLegacyDisabledTheServerSpeaksV1Only() {
		this.contextRunner.withPropertyValues("cryo.dialects.camp.enabled=false", "cryo.dialects.legacy.enabled=false")
			.run((context) -> {
			assertThat(context).doesNotHaveBean(CampDialect.class);
			assertThat(context).doesNotHaveBean(LegacyDialect.class);
			DefaultCryoServer server = (DefaultCryoServer) context.getBean(CryoServer.class);
			assertThat(server.sessionFactory().dialects().all()).containsExactly(CryoV1Dialect.INSTANCE);
			assertThat(context.getBean(CryoWebSocketHandler.class).getSubProtocols()).isEmpty();
		});
	}

	@Test
	void withLegacyDisabledTheServerSpeaksCampAndV1() {
		this.contextRunner.withPropertyValues("cryo.dialects.legacy.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LegacyDialect.class);
			DefaultCryoServer server = (DefaultCryoServer) context.getBean(CryoServer.class);
			assertThat(server.sessionFactory().dialects().all()).containsExactly(CampDialect.INSTANCE,
					CryoV1Dialect.INSTANCE);
		});
	}

	@Test
	void dialectBeansAreAskedInTheirOrderBeforeV1() {
		TestDialect first = TestDialect.plain();
		TestDialect second = TestDialect.scrambled();
		CryoDialect renamed = new CryoDialect() {

			@Override
			public String name() {
				return "renamed";
			}

			@Override
			public boolean recognises(UpgradeRequest request) {
				return second.recognises(request);
			}

			@Override
			public WireCodec codec() {
				return second.codec();
			}

			@Override
			public SessionPolicy policy() {
				return second.policy();
			}

		};
		this.contextRunner.withBean("second", CryoDialect.class, () -> renamed, (definition) -> definition
			.setAttribute(AbstractBeanDefinition.ORDER_ATTRIBUTE, 2))
			.withBean("first", CryoDialect.class, () -> first,
					(definition) -> definition.setAttribute(AbstractBeanDefinition.ORDER_ATTRIBUTE, 1))
			.run((context) -> {
				DefaultCryoServer server = (DefaultCryoServer) context.getBean(CryoServer.class);
				// CAMP is asked before every other dialect (camp.md §1 rule 1), the legacy generation next.
				assertThat(server.sessionFactory().dialects().all()).containsExactly(CampDialect.INSTANCE,
						context.getBean(LegacyDialect.class), first, renamed, CryoV1Dialect.INSTANCE);
				assertThat(context.getBean(CryoWebSocketHandler.class).getSubProtocols())
					.containsExactly(CampDialect.SUBPROTOCOL, TestDialect.SUBPROTOCOL);
			});
	}

	@Test
	void settingsCarryTheDefaultsOfTheProtocol() {
		this.contextRunner.run((context) -> {
			CryoServerSettings settings = context.getBean(CryoServerSettings.class);
			assertThat(settings.keepAliveInterval()).isEqualTo(Duration.ofSeconds(15));
			assertThat(settings.sessionOptions().ackTimeout()).isEqualTo(Duration.ofMillis(2500));
			assertThat(settings.sessionOptions().endpointInfoTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(settings.sessionOptions().maxMalformedFrames()).isEqualTo(16);
			assertThat(settings.sessionOptions().firstFrameDelay()).isEqualTo(Duration.ofMillis(20));
			assertThat(settings.sessionOptions().endpointInfoGrace()).isEqualTo(Duration.ofSeconds(1));
			assertThat(settings.sessionOptions().transactionLayout()).isEqualTo(TransactionLayout.SEED);
		});
	}

	@Test
	void serverIsStartedWithTheContextAndStoppedWithIt() {
		this.contextRunner.run((context) -> {
			CryoServer server = context.getBean(CryoServer.class);
			assertThat(server.isRunning()).isTrue();
			context.close();
			assertThat(server.isRunning()).isFalse();
		});
	}

	@Test
	void serverCanBeStoppedAndRestartedWithTheContextKeepingItsExtensions() {
		this.contextRunner.withUserConfiguration(OrderedExtensionsConfiguration.class).run((context) -> {
			CryoServer server = context.getBean(CryoServer.class);
			context.stop();
			assertThat(server.isRunning()).isFalse();
			context.start();
			assertThat(server.isRunning()).isTrue();
			assertThat(server.extensions()).extracting(CryoExtension::name).containsExactly("first", "second", "third");
		});
	}

	// ---- backing off

	@Test
	void backsOffWhenCryoIsDisabled() {
		this.contextRunner.withPropertyValues("cryo.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CryoProperties.class)
				.doesNotHaveBean(CryoServer.class)
				.doesNotHaveBean(CryoServerSettings.class)
				.doesNotHaveBean(CryoHandshakeInterceptor.class)
				.doesNotHaveBean(CryoOriginInterceptor.class)
				.doesNotHaveBean(CryoWebSocketHandler.class)
				.doesNotHaveBean(HANDLER_MAPPING_NAME));
	}

	@Test
	void staysOnWhenCryoIsExplicitlyEnabled() {
		this.contextRunner.withPropertyValues("cryo.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(CryoServer.class).hasBean(HANDLER_MAPPING_NAME));
	}

	@Test
	void backsOffInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CryoServer.class)
				.doesNotHaveBean(HANDLER_MAPPING_NAME));
	}

	@Test
	void backsOffWhenTheCryoServerIsNotOnTheClassPath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(CryoServer.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CryoProperties.class)
				.doesNotHaveBean(HANDLER_MAPPING_NAME));
	}

	@Test
	void backsOffWhenSpringWebSocketIsNotOnTheClassPath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CryoProperties.class)
				.doesNotHaveBean(HANDLER_MAPPING_NAME));
	}

	@Test
	void backsOffWhenSpringWebMvcIsNotOnTheClassPath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HandlerMapping.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CryoProperties.class)
				.doesNotHaveBean(HANDLER_MAPPING_NAME));
	}

	// ---- user beans win

	@Test
	void userDefinedCryoServerWins() {
		this.contextRunner.withUserConfiguration(UserServerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CryoServer.class).hasBean("userCryoServer");
			assertThat(context.getBean(CryoServer.class)).isSameAs(context.getBean("userCryoServer"));
			assertThat(context).hasSingleBean(CryoWebSocketHandler.class).hasBean(HANDLER_MAPPING_NAME);
		});
	}

	@Test
	void userDefinedCryoServerSettingsWin() {
		CryoServerSettings custom = new CryoServerSettings(Duration.ofSeconds(3), SessionOptions.DEFAULTS);
		this.contextRunner.withBean("userSettings", CryoServerSettings.class, () -> custom)
			.withPropertyValues("cryo.keep-alive-interval=42s")
			.run((context) -> {
				assertThat(context).hasSingleBean(CryoServerSettings.class);
				assertThat(context.getBean(CryoServerSettings.class)).isSameAs(custom);
			});
	}

	@Test
	void userDefinedHandshakeInterceptorWins() {
		this.contextRunner.withUserConfiguration(UserInterceptorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CryoHandshakeInterceptor.class);
			CryoHandshakeInterceptor interceptor = context.getBean(CryoHandshakeInterceptor.class);
			assertThat(interceptor).isSameAs(context.getBean("userInterceptor"));
			assertThat(requestHandler(context.getBean(HANDLER_MAPPING_NAME, SimpleUrlHandlerMapping.class))
				.getHandshakeInterceptors()).contains(interceptor);
		});
	}

	@Test
	void userDefinedWebSocketHandlerWins() {
		this.contextRunner.withUserConfiguration(UserHandlerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CryoWebSocketHandler.class);
			CryoWebSocketHandler handler = context.getBean(CryoWebSocketHandler.class);
			assertThat(handler).isSameAs(context.getBean("userHandler"));
			assertThat(WebSocketHandlerDecorator.unwrap(
					requestHandler(context.getBean(HANDLER_MAPPING_NAME, SimpleUrlHandlerMapping.class))
						.getWebSocketHandler()))
				.isSameAs(handler);
		});
	}

	@Test
	void userDefinedHandlerMappingWithTheSameNameWins() {
		SimpleUrlHandlerMapping custom = new SimpleUrlHandlerMapping(Map.of("/custom", new Object()));
		this.contextRunner.withBean(HANDLER_MAPPING_NAME, HandlerMapping.class, () -> custom).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(HANDLER_MAPPING_NAME)).isSameAs(custom);
			assertThat(context).hasSingleBean(CryoServer.class);
		});
	}

	@Test
	void otherHandlerMappingsDoNotReplaceTheCryoMapping() {
		this.contextRunner
			.withBean("someOtherMapping", HandlerMapping.class,
					() -> new SimpleUrlHandlerMapping(Map.of("/other", new Object())))
			.run((context) -> assertThat(context).hasBean(HANDLER_MAPPING_NAME).hasBean("someOtherMapping"));
	}

	// ---- properties reach the beans

	@Test
	void customPathIsMapped() {
		this.contextRunner.withPropertyValues("cryo.path=/ws/cryo").run((context) -> {
			WebSocketHandlerMapping mapping = context.getBean(HANDLER_MAPPING_NAME, WebSocketHandlerMapping.class);
			assertThat(mapping.getUrlMap()).containsOnlyKeys("/ws/cryo");
		});
	}

	@Test
	void timingPropertiesReachTheServerSettings() {
		this.contextRunner
			.withPropertyValues("cryo.keep-alive-interval=300ms", "cryo.ack-timeout=100ms",
					"cryo.endpoint-info-timeout=2s", "cryo.max-malformed-frames=3")
			.run((context) -> {
				CryoServerSettings settings = context.getBean(CryoServerSettings.class);
				assertThat(settings.keepAliveInterval()).isEqualTo(Duration.ofMillis(300));
				assertThat(settings.sessionOptions().ackTimeout()).isEqualTo(Duration.ofMillis(100));
				assertThat(settings.sessionOptions().endpointInfoTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.sessionOptions().maxMalformedFrames()).isEqualTo(3);
			});
	}

	@Test
	void allowedOriginsConfigureAnOriginCheckThatRunsBeforeTheCryoInterceptor() {
		this.contextRunner
			.withPropertyValues("cryo.allowed-origins=https://app.example",
					"cryo.allowed-origin-patterns=https://*.app.example")
			.run((context) -> {
				List<HandshakeInterceptor> interceptors = requestHandler(
						context.getBean(HANDLER_MAPPING_NAME, SimpleUrlHandlerMapping.class))
					.getHandshakeInterceptors();
				assertThat(interceptors).hasSize(2);
				assertThat(interceptors.get(0)).isSameAs(context.getBean(CryoOriginInterceptor.class))
					.isInstanceOfSatisfying(CryoOriginInterceptor.class, (origins) -> {
						assertThat(origins.getAllowedOrigins()).containsExactly("https://app.example");
						assertThat(origins.getAllowedOriginPatterns()).containsExactly("https://*.app.example");
					});
				assertThat(interceptors.get(1)).isSameAs(context.getBean(CryoHandshakeInterceptor.class));
			});
	}

	@Test
	void userDefinedOriginInterceptorWins() {
		CryoOriginInterceptor user = new CryoOriginInterceptor();
		this.contextRunner.withBean(CryoOriginInterceptor.class, () -> user).run((context) -> {
			assertThat(context).hasSingleBean(CryoOriginInterceptor.class);
			assertThat(requestHandler(context.getBean(HANDLER_MAPPING_NAME, SimpleUrlHandlerMapping.class))
				.getHandshakeInterceptors()).first().isSameAs(user);
		});
	}

	@Test
	void zeroEndpointInfoTimeoutDisablesTheCheck() {
		this.contextRunner.withPropertyValues("cryo.endpoint-info-timeout=0")
			.run((context) -> assertThat(context.getBean(CryoServerSettings.class).sessionOptions().endpointInfoTimeout())
				.isZero());
	}

	@Test
	void backpressurePropertiesReachTheServerSettings() {
		this.contextRunner
			.withPropertyValues("cryo.backpressure.drop-policy=drop-newest", "cryo.backpressure.max-queue-count=7")
			.run((context) -> {
				// Checked through the record's string form because CryoServerSettings has no
				// backpressure component yet; once it has one this should read it directly.
				assertThat(context.getBean(CryoServerSettings.class).toString()).contains("DROP_NEWEST").contains("7");
			});
	}

	// ---- extensions

	@Test
	void extensionBeansAreRegisteredOnTheServerInOrderOfTheirOrderAnnotation() {
		this.contextRunner.withUserConfiguration(OrderedExtensionsConfiguration.class).run((context) -> {
			CryoServer server = context.getBean(CryoServer.class);
			assertThat(server.extensions()).extracting(CryoExtension::name).containsExactly("first", "second", "third");
			assertThat(server.extension("second")).containsSame(context.getBean("secondExtension", CryoExtension.class));
		});
	}

	@Test
	void extensionBeansOrderedOnTheirBeanMethodsKeepThatOrder() {
		this.contextRunner.withUserConfiguration(BeanMethodOrderedExtensionsConfiguration.class).run((context) -> {
			CryoServer server = context.getBean(CryoServer.class);
			assertThat(server.extensions()).extracting(CryoExtension::name).containsExactly("first", "second", "third");
		});
	}

	@Test
	void extensionBeansWithDuplicateNamesFailStartup() {
		this.contextRunner
			.withBean("one", CryoExtension.class, () -> new NamedExtension("twin"))
			.withBean("two", CryoExtension.class, () -> new NamedExtension("twin"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("'twin' is already registered"));
	}

	// ---- token validator

	@Test
	void withoutATokenValidatorTheContextStartsAndWarnsOnce(CapturedOutput output) {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(CryoHandshakeInterceptor.class);
				assertThat(occurrences(output.getAll(), NO_TOKEN_VALIDATOR_WARNING)).isOne();
				assertThat(output.getAll()).containsPattern("WARN.*" + NO_TOKEN_VALIDATOR_WARNING);
			});
	}

	@Test
	void withATokenValidatorNothingIsWarned(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output.getAll()).doesNotContain(NO_TOKEN_VALIDATOR_WARNING);
		});
	}

	// ---- helpers

	private static WebSocketHttpRequestHandler requestHandler(SimpleUrlHandlerMapping mapping) {
		Object handler = mapping.getUrlMap().values().iterator().next();
		assertThat(handler).isInstanceOf(WebSocketHttpRequestHandler.class);
		return (WebSocketHttpRequestHandler) handler;
	}

	private static int occurrences(String text, String part) {
		Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserServerConfiguration {

		@Bean
		CryoServer userCryoServer(ApplicationEventPublisher publisher) {
			return new DefaultCryoServer(CryoServerSettings.DEFAULTS, publisher);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserInterceptorConfiguration {

		@Bean
		CryoHandshakeInterceptor userInterceptor() {
			return new CryoHandshakeInterceptor(TokenValidator.denyAll(), new CryoSessionRegistry());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHandlerConfiguration {

		@Bean
		CryoWebSocketHandler userHandler(CryoServer server) {
			return new CryoWebSocketHandler(((DefaultCryoServer) server).sessionFactory());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedExtensionsConfiguration {

		// Declared out of order on purpose.
		@Bean
		ThirdExtension thirdExtension() {
			return new ThirdExtension();
		}

		@Bean
		FirstExtension firstExtension() {
			return new FirstExtension();
		}

		@Bean
		SecondExtension secondExtension() {
			return new SecondExtension();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BeanMethodOrderedExtensionsConfiguration {

		@Bean
		ThirdExtension thirdExtension() {
			return new ThirdExtension();
		}

		@Bean
		@Order(1)
		CryoExtension firstExtension() {
			return new NamedExtension("first");
		}

		@Bean
		@Order(2)
		CryoExtension secondExtension() {
			return new NamedExtension("second");
		}

	}

	static class NamedExtension implements CryoExtension {

		private final String name;

		NamedExtension(String name) {
			this.name = name;
		}

		@Override
		public String name() {
			return this.name;
		}

	}

	@Order(10)
	static class FirstExtension extends NamedExtension {

		FirstExtension() {
			super("first");
		}

	}

	@Order(20)
	static class SecondExtension extends NamedExtension {

		SecondExtension() {
			super("second");
		}

	}

	@Order(30)
	static class ThirdExtension extends NamedExtension {

		ThirdExtension() {
			super("third");
		}

	}

}
