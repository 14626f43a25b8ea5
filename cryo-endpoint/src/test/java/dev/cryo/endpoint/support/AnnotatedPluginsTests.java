package dev.cryo.endpoint.support;

import java.lang.reflect.ParameterizedType;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import tools.jackson.databind.node.NullNode;

import dev.cryo.endpoint.BinaryHandler;
import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointContext;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointHandler;
import dev.cryo.endpoint.EndpointMapping;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.Notifier;
import dev.cryo.endpoint.OnSettingChanged;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.PluginDefinition.EndpointDefinition;
import dev.cryo.endpoint.PluginDefinition.MethodDefinition;
import dev.cryo.endpoint.RequirementCheck;
import dev.cryo.endpoint.Requires;
import dev.cryo.endpoint.SettingChange;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link AnnotatedPlugins}.
 */
class AnnotatedPluginsTests {

	private static final RequirementCheck OPEN = (connection, request) -> CompletableFuture.completedFuture(true);

	private static final Multicaster MULTICASTER = (filter, type, data) -> 0;

	private final JsonBinder binder = EngineTestSupport.binder();

	private final DefaultEndpointRegistry registry = new DefaultEndpointRegistry();

	private final AnnotatedPlugins plugins = new AnnotatedPlugins(this.registry, this.binder, MULTICASTER,
			Map.of("open", OPEN)::get);

	@Test
	void convertsEndpointsWithMergedAliasesAndBodyTypes() {
		PluginDefinition plugin = this.plugins.definitionOf(new ShopPlugin());
		assertThat(plugin.name()).isEqualTo("shop");
		assertThat(plugin.settingsType()).isEqualTo(ShopSettings.class);
		EndpointDefinition cart = plugin.endpoints().get("cart");
		assertThat(cart.aliases()).containsExactlyInAnyOrder("cart", "basket");
		assertThat(cart.methods()).containsOnlyKeys("read", "create");
		assertThat(cart.methods().get("read").requestType()).isEqualTo(Item.class);
		assertThat(cart.methods().get("create").requestType()).isInstanceOfSatisfying(ParameterizedType.class,
				(type) -> assertThat(type.getActualTypeArguments()).containsExactly(Item.class));
		assertThat(plugin.endpoints().get("status").methods().get("read").requestType()).isNull();
	}

	@Test
	void mergesTheRequirementsOfTypeAndMethod() {
		PluginDefinition plugin = this.plugins.definitionOf(new ShopPlugin());
		MethodDefinition read = plugin.endpoints().get("cart").methods().get("read");
		assertThat(read.requirements().settings()).containsExactly(Map.entry("auth.authenticated", true),
				Map.entry("shop.level", 3));
		assertThat(read.requirements().authorities()).containsExactly("ROLE_USER");
		assertThat(read.requirements().checks()).containsExactly(OPEN);
		assertThat(read.requirements().authenticated()).isTrue();
		MethodDefinition status = plugin.endpoints().get("status").methods().get("read");
		assertThat(status.requirements().settings()).containsOnlyKeys("auth.authenticated");
		assertThat(status.requirements().authenticated()).isFalse();
	}

	@Test
	void readsRequiredSettingValuesAsJsonOrText() {
		Map<String, Object> settings = this.plugins.definitionOf(new ValuesPlugin())
			.endpoints()
			.get("values")
			.methods()
			.get("read")
			.requirements()
			.settings();
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("p.number", 2.5);
		expected.put("p.text", "quoted");
		expected.put("p.word", "plain");
		expected.put("p.list", List.of(1, 2));
		expected.put("p.none", null);
		assertThat(settings).containsExactlyInAnyOrderEntriesOf(expected);
	}

	@Test
	void resolvesParametersByType() throws Exception {
		PluginDefinition plugin = this.plugins.definitionOf(new ShopPlugin());
		EngineTestConnection connection = new EngineTestConnection("c1");
		connection.setPrincipal(new CryoPrincipal("ann"));
		connection.settings.set("shop", "level", 7);
		EndpointRequest request = new EndpointRequest("1", "shop:cart", "read", NullNode.getInstance(),
				this.binder.mapper().createObjectNode());
		Object result = handler(plugin, "cart", "read").handle(new EndpointContext(connection, request, MULTICASTER),
				new Item("pen"));
		assertThat(result).isEqualTo(List.of(connection, connection, MULTICASTER, connection.settings, request,
				connection.principal(), "no session", new ShopSettings(7), new Item("pen")));
	}

	@Test
	void takesTheSettingsTypeOfAnotherPlugin() throws Exception {
		List<PluginDefinition> definitions = this.plugins.definitionsOf(List.of(new ReaderPlugin(), new ShopPlugin()));
		EngineTestConnection connection = new EngineTestConnection("c1");
		connection.settings.set("shop", "level", 4);
		EndpointRequest request = new EndpointRequest("1", "reader:level", "read", NullNode.getInstance(),
				this.binder.mapper().createObjectNode());
		assertThat(handler(definitions.get(0), "level", "read")
			.handle(new EndpointContext(connection, request, MULTICASTER), null)).isEqualTo(4);
	}

	@Test
	void handlerExceptionsAreUnwrapped() {
		PluginDefinition plugin = this.plugins.definitionOf(new ShopPlugin());
		EngineTestConnection connection = new EngineTestConnection("c1");
		EndpointRequest request = new EndpointRequest("1", "shop:status", "delete", NullNode.getInstance(),
				this.binder.mapper().createObjectNode());
		assertThatExceptionOfType(EndpointException.class)
			.isThrownBy(() -> handler(plugin, "status", "delete")
				.handle(new EndpointContext(connection, request, MULTICASTER), null))
			.withMessage("closed");
	}

	@Test
	void validatesConstraintsOnTheBodyParameterOnce() {
		PluginDefinition plugin = this.plugins.definitionOf(new ConstrainedPlugin());
		assertThat(problems(plugin, "email", "\"nope\"")).containsExactly("data: must be a well-formed email address");
		assertThat(problems(plugin, "email", "null")).containsExactly("data: must not be blank");
		assertThat(problems(plugin, "item", "{\"name\":\"\"}")).containsExactly("data.name: must not be blank");
		assertThat(problems(plugin, "items", "[{\"name\":\"a\"},{\"name\":\"\"},{\"name\":\"c\"}]"))
			.containsExactly("data: size must be between 0 and 2", "data[1].name: must not be blank");
		assertThat(problems(plugin, "plain", "{\"name\":\"\"}")).containsExactly("data.name: must not be blank");
		assertThat(problems(plugin, "email", "\"a@example.com\"")).isEmpty();
	}

	@Test
	void convertsSettingListenersAndTheBinaryHandler() throws Exception {
		ShopPlugin bean = new ShopPlugin();
		PluginDefinition plugin = this.plugins.definitionOf(bean);
		EngineTestConnection connection = new EngineTestConnection("c1");
		assertThat(plugin.settingListeners()).singleElement().satisfies((listener) -> {
			assertThat(listener.plugin()).isEqualTo("auth");
			assertThat(listener.setting()).isEqualTo("authenticated");
			SettingChange change = new SettingChange("auth", "authenticated", false, true);
			listener.listener().settingChanged(connection, change);
			assertThat(bean.seen).containsExactly(connection, change, MULTICASTER);
		});
		bean.seen.clear();
		ByteBuffer payload = ByteBuffer.wrap(new byte[] { 1, 2 });
		assertThat(plugin.binaryHandler().requirements().authorities()).containsExactly("ROLE_UPLOAD");
		plugin.binaryHandler().handler().handle(connection, payload);
		assertThat(bean.seen).containsExactly(payload, connection);
	}

	@Test
	void convertsAProxiedBean() {
		ProxyFactory factory = new ProxyFactory(new ShopPlugin());
		factory.setProxyTargetClass(true);
		PluginDefinition plugin = this.plugins.definitionOf(factory.getProxy());
		assertThat(plugin.name()).isEqualTo("shop");
		assertThat(plugin.endpoints()).containsOnlyKeys("cart", "status");
		ProxyFactory constrained = new ProxyFactory(new ConstrainedPlugin());
		constrained.setProxyTargetClass(true);
		assertThat(problems(this.plugins.definitionOf(constrained.getProxy()), "email", "\"nope\""))
			.containsExactly("data: must be a well-formed email address");
	}

	@Test
	void refusesDeclarationMistakesAtStartup() {
		assertThatIllegalStateException().isThrownBy(() -> this.plugins.definitionOf(new DuplicatePlugin()))
			.withMessageContaining("first(")
			.withMessageContaining("second(");
		assertThatIllegalStateException().isThrownBy(() -> this.plugins.definitionOf(new TwoBodiesPlugin()))
			.withMessageContaining("two parameters");
		assertThatIllegalStateException().isThrownBy(() -> this.plugins.definitionOf(new BadSettingPlugin()))
			.withMessageContaining("'nonsense'");
		assertThatIllegalStateException().isThrownBy(() -> this.plugins.definitionOf(new UnknownCheckPlugin()))
			.withMessageContaining("'missing'");
		assertThatIllegalStateException().isThrownBy(() -> this.plugins.definitionOf(new Object()))
			.withMessageContaining("@CryoPlugin");
	}

	private List<String> problems(PluginDefinition plugin, String endpoint, String json) {
		MethodDefinition method = plugin.endpoints().get(endpoint).methods().get("read");
		JsonBinder.BodyParameter parameter = ((AnnotatedPlugins.AnnotatedHandler) method.handler()).bodyParameter();
		try {
			this.binder.bind(this.binder.mapper().readTree(json), method.requestType(), "data", parameter);
			return List.of();
		}
		catch (EndpointException ex) {
			return ex.getMessages();
		}
	}

	@SuppressWarnings("unchecked")
	private static EndpointHandler<Object> handler(PluginDefinition plugin, String endpoint, String method) {
		return (EndpointHandler<Object>) plugin.endpoints().get(endpoint).methods().get(method).handler();
	}

	record Item(@NotBlank String name) {

	}

	record ShopSettings(int level) {

	}

	@CryoPlugin(name = "shop", settings = ShopSettings.class)
	@Requires(settings = "auth.authenticated=true")
	static class ShopPlugin {

		final List<Object> seen = new ArrayList<>();

		@EndpointMapping(endpoint = "cart", method = "read", aliases = "cart")
		@Requires(settings = "shop.level=3", authorities = "ROLE_USER", checks = "open", authenticated = true)
		List<Object> read(EndpointConnection connection, Notifier notifier, Multicaster multicaster,
				ConnectionSettings settings, EndpointRequest request, Principal principal, CryoSession session,
				ShopSettings shop, Item item) {
			List<Object> all = new ArrayList<>(List.of(connection, notifier, multicaster, settings, request, principal));
			all.add((session != null) ? session : "no session");
			all.addAll(List.of(shop, item));
			return all;
		}

		@EndpointMapping(endpoint = "cart", method = "create", aliases = { "basket", "cart" })
		void create(List<Item> items) {
		}

		@EndpointMapping(endpoint = "status")
		String status() {
			return "open";
		}

		@EndpointMapping(endpoint = "status", method = "delete")
		String close() {
			throw new EndpointException("closed");
		}

		@OnSettingChanged(plugin = "auth", setting = "authenticated")
		void authenticated(EndpointConnection connection, SettingChange change, Multicaster multicaster) {
			this.seen.addAll(List.of(connection, change, multicaster));
		}

		@BinaryHandler
		@Requires(authorities = "ROLE_UPLOAD")
		void upload(ByteBuffer payload, EndpointConnection connection) {
			this.seen.addAll(List.of(payload, connection));
		}

	}

	@CryoPlugin("reader")
	static class ReaderPlugin {

		@EndpointMapping(endpoint = "level")
		int level(ShopSettings settings) {
			return settings.level();
		}

	}

	@CryoPlugin("values")
	static class ValuesPlugin {

		@EndpointMapping(endpoint = "values")
		@Requires(settings = { "p.number=2.5", "p.text=\"quoted\"", "p.word=plain", "p.list=[1,2]", "p.none=null" })
		void read() {
		}

	}

	@CryoPlugin("constrained")
	static class ConstrainedPlugin {

		@EndpointMapping(endpoint = "email")
		void email(@NotBlank @Email String email) {
		}

		@EndpointMapping(endpoint = "item")
		void item(@Valid Item item) {
		}

		@EndpointMapping(endpoint = "items")
		void items(@Size(max = 2) List<@Valid Item> items) {
		}

		@EndpointMapping(endpoint = "plain")
		void plain(Item item, EndpointConnection connection) {
		}

	}

	@CryoPlugin("duplicate")
	static class DuplicatePlugin {

		@EndpointMapping(endpoint = "e")
		void first() {
		}

		@EndpointMapping(endpoint = "e")
		void second() {
		}

	}

	@CryoPlugin("bodies")
	static class TwoBodiesPlugin {

		@EndpointMapping(endpoint = "e")
		void both(Item one, Item two) {
		}

	}

	@CryoPlugin("bad")
	static class BadSettingPlugin {

		@EndpointMapping(endpoint = "e")
		@Requires(settings = "nonsense")
		void read() {
		}

	}

	@CryoPlugin("unknown")
	@Requires(checks = "missing")
	static class UnknownCheckPlugin {

		@EndpointMapping(endpoint = "e")
		void read() {
		}

	}

}
