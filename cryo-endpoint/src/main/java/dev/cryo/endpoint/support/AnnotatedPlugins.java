package dev.cryo.endpoint.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.validation.metadata.MethodDescriptor;
import jakarta.validation.metadata.ParameterDescriptor;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

import dev.cryo.endpoint.BinaryHandler;
import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointContext;
import dev.cryo.endpoint.EndpointHandler;
import dev.cryo.endpoint.EndpointMapping;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.Notifier;
import dev.cryo.endpoint.OnSettingChanged;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.PluginDefinition.MethodDefinition;
import dev.cryo.endpoint.RequirementCheck;
import dev.cryo.endpoint.Requirements;
import dev.cryo.endpoint.Requires;
import dev.cryo.endpoint.SettingChange;
import dev.cryo.server.CryoSession;

/**
 * Turns {@link CryoPlugin @CryoPlugin} beans into {@link PluginDefinition}s: their
 * {@link EndpointMapping @EndpointMapping} methods (aliases merged per endpoint), their
 * {@link Requires @Requires} (the type's and the method's together), their
 * {@link OnSettingChanged @OnSettingChanged} methods and their {@link BinaryHandler @BinaryHandler}
 * method. Parameters are resolved by type as {@link EndpointMapping} describes; every mistake in
 * a declaration is an {@link IllegalStateException} here, at startup, not at the first request.
 */
public final class AnnotatedPlugins {

	private static final Pattern SETTING_REQUIREMENT = Pattern
		.compile("([A-Za-z0-9_-]{1,64})\\.([A-Za-z0-9_-]{1,64})=(.*)", Pattern.DOTALL);

	/** Marks a settings type that two plugins declare: a parameter of that type is ambiguous. */
	private static final String AMBIGUOUS = "";

	private final EndpointRegistry registry;

	private final JsonBinder binder;

	private final Multicaster multicaster;

	private final Function<String, RequirementCheck> checks;

	/**
	 * Creates the converter.
	 * @param registry the plugins already registered, whose settings types handlers may take
	 * @param binder binds request bodies (and parses the values of {@code @Requires} settings)
	 * @param multicaster given to setting listeners and binary handlers that take one
	 * @param checks finds a {@link RequirementCheck} bean by name; throws or returns {@code null}
	 * when there is none
	 */
	public AnnotatedPlugins(EndpointRegistry registry, JsonBinder binder, Multicaster multicaster,
			Function<String, RequirementCheck> checks) {
		this.registry = registry;
		this.binder = binder;
		this.multicaster = multicaster;
		this.checks = checks;
	}

	/**
	 * Converts one plugin bean. A parameter may take the settings type of this plugin or of a
	 * plugin already registered.
	 * @param bean the bean, possibly a proxy
	 * @return the plugin
	 * @throws IllegalStateException when a declaration is wrong
	 */
	public PluginDefinition definitionOf(Object bean) {
		return definitionsOf(List.of(bean)).get(0);
	}

	/**
	 * Converts plugin beans together, so that each may take the settings type of any of them (or
	 * of a plugin already registered).
	 * @param beans the beans
	 * @return the plugins, in the same order
	 * @throws IllegalStateException when a declaration is wrong
	 */
	public List<PluginDefinition> definitionsOf(Collection<?> beans) {
		Map<Class<?>, String> settingsTypes = new HashMap<>();
		for (PluginDefinition plugin : this.registry.plugins()) {
			addSettingsType(settingsTypes, plugin.settingsType(), plugin.name());
		}
		for (Object bean : beans) {
			CryoPlugin annotation = pluginAnnotation(AopUtils.getTargetClass(bean));
			addSettingsType(settingsTypes, settingsType(annotation), annotation.name());
		}
		List<PluginDefinition> definitions = new ArrayList<>();
		for (Object bean : beans) {
			definitions.add(convert(bean, settingsTypes));
		}
		return definitions;
	}

	private static void addSettingsType(Map<Class<?>, String> settingsTypes, @Nullable Class<?> type, String plugin) {
		if (type != null) {
			settingsTypes.merge(type, plugin, (first, second) -> first.equals(second) ? first : AMBIGUOUS);
		}
	}

	private static CryoPlugin pluginAnnotation(Class<?> type) {
		CryoPlugin annotation = AnnotatedElementUtils.findMergedAnnotation(type, CryoPlugin.class);
		if (annotation == null) {
			throw new IllegalStateException(type.getName() + " is not annotated with @CryoPlugin");
		}
		if (annotation.name().isEmpty()) {
			throw new IllegalStateException("@CryoPlugin on " + type.getName() + " must name the plugin");
		}
		return annotation;
	}

	private static @Nullable Class<?> settingsType(CryoPlugin annotation) {
		return (annotation.settings() == Void.class) ? null : annotation.settings();
	}

	private PluginDefinition convert(Object bean, Map<Class<?>, String> settingsTypes) {
		Class<?> type = AopUtils.getTargetClass(bean);
		CryoPlugin annotation = pluginAnnotation(type);
		PluginDefinition.Builder builder = PluginDefinition.builder(annotation.name());
		Class<?> ownSettings = settingsType(annotation);
		if (ownSettings != null) {
			builder.settings(ownSettings);
		}
		Requirements typeRequirements = requirements(AnnotatedElementUtils.findMergedAnnotation(type, Requires.class),
				type.getName());
		addEndpoints(bean, type, typeRequirements, settingsTypes, builder);
		for (Method method : sorted(MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<OnSettingChanged>) (candidate) -> AnnotatedElementUtils
					.findMergedAnnotation(candidate, OnSettingChanged.class))
			.keySet())) {
			OnSettingChanged listens = AnnotatedElementUtils.findMergedAnnotation(method, OnSettingChanged.class);
			builder.onSettingChanged(listens.plugin(), listens.setting().isEmpty() ? null : listens.setting(),
					settingListener(bean, method));
		}
		List<Method> binaryHandlers = sorted(MethodIntrospector.selectMethods(type,
				(ReflectionUtils.MethodFilter) (candidate) -> AnnotatedElementUtils.hasAnnotation(candidate,
						BinaryHandler.class)));
		if (binaryHandlers.size() > 1) {
			throw new IllegalStateException("Plugin '" + annotation.name()
					+ "' declares more than one @BinaryHandler: " + binaryHandlers);
		}
		for (Method method : binaryHandlers) {
			Requirements requirements = typeRequirements.and(requirements(
					AnnotatedElementUtils.findMergedAnnotation(method, Requires.class), method.toGenericString()));
			builder.binaryHandler(requirements, binaryHandler(bean, method));
		}
		return builder.build();
	}

	private void addEndpoints(Object bean, Class<?> type, Requirements typeRequirements,
			Map<Class<?>, String> settingsTypes, PluginDefinition.Builder builder) {
		Map<Method, EndpointMapping> mappings = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<EndpointMapping>) (candidate) -> AnnotatedElementUtils
					.findMergedAnnotation(candidate, EndpointMapping.class));
		Map<String, Set<String>> aliases = new LinkedHashMap<>();
		Map<String, Map<String, MethodDefinition>> endpoints = new LinkedHashMap<>();
		Map<String, Method> declaredBy = new HashMap<>();
		for (Method method : sorted(mappings.keySet())) {
			EndpointMapping mapping = mappings.get(method);
			String key = mapping.endpoint() + "#" + mapping.method();
			Method previous = declaredBy.putIfAbsent(key, method);
			if (previous != null) {
				throw new IllegalStateException("Endpoint '" + mapping.endpoint() + "' method '" + mapping.method()
						+ "' is mapped twice: by " + previous.toGenericString() + " and by "
						+ method.toGenericString());
			}
			aliases.computeIfAbsent(mapping.endpoint(), (name) -> new LinkedHashSet<>())
				.addAll(List.of(mapping.aliases()));
			Requirements requirements = typeRequirements.and(requirements(
					AnnotatedElementUtils.findMergedAnnotation(method, Requires.class), method.toGenericString()));
			endpoints.computeIfAbsent(mapping.endpoint(), (name) -> new LinkedHashMap<>())
				.put(mapping.method(), endpointMethod(bean, type, method, mapping, requirements, settingsTypes));
		}
		endpoints.forEach((endpoint, methods) -> builder.endpoint(endpoint, (endpointBuilder) -> {
			endpointBuilder.alias(aliases.get(endpoint).toArray(String[]::new));
			methods.values().forEach(endpointBuilder::method);
		}));
	}

	private MethodDefinition endpointMethod(Object bean, Class<?> type, Method method, EndpointMapping mapping,
			Requirements requirements, Map<Class<?>, String> settingsTypes) {
		Method invocable = invocable(bean, method);
		Class<?>[] parameterTypes = method.getParameterTypes();
		ArgumentResolver[] resolvers = new ArgumentResolver[parameterTypes.length];
		int bodyIndex = -1;
		for (int i = 0; i < parameterTypes.length; i++) {
			ArgumentResolver resolver = contextArgument(parameterTypes[i], settingsTypes, method);
			if (resolver == null) {
				if (bodyIndex >= 0) {
					throw new IllegalStateException(method.toGenericString() + " has two parameters that could be the"
							+ " request body (#" + bodyIndex + " and #" + i + "); only one may be");
				}
				bodyIndex = i;
				resolver = (context, body) -> body;
			}
			resolvers[i] = resolver;
		}
		Type bodyType = (bodyIndex >= 0) ? ResolvableType.forMethodParameter(method, bodyIndex, type).getType() : null;
		JsonBinder.BodyParameter bodyParameter = (bodyIndex >= 0) ? bodyParameter(bean, type, method, bodyIndex)
				: null;
		AnnotatedHandler handler = new AnnotatedHandler(bean, invocable, resolvers, bodyParameter);
		return new MethodDefinition(mapping.method(), bodyType, requirements, handler, method.toGenericString());
	}

	private static @Nullable ArgumentResolver contextArgument(Class<?> parameterType,
			Map<Class<?>, String> settingsTypes, Method method) {
		if (parameterType == EndpointConnection.class || parameterType == Notifier.class) {
			return (context, body) -> context.connection();
		}
		if (parameterType == Multicaster.class) {
			return (context, body) -> context.multicaster();
		}
		if (parameterType == ConnectionSettings.class) {
			return (context, body) -> context.settings();
		}
		if (parameterType == EndpointRequest.class) {
			return (context, body) -> context.request();
		}
		if (parameterType == EndpointContext.class) {
			return (context, body) -> context;
		}
		if (Principal.class.isAssignableFrom(parameterType)) {
			return (context, body) -> parameterType.isInstance(context.principal()) ? context.principal() : null;
		}
		if (parameterType == CryoSession.class) {
			return (context, body) -> context.connection().cryoSession();
		}
		String plugin = settingsTypes.get(parameterType);
		if (plugin != null) {
			if (plugin.equals(AMBIGUOUS)) {
				throw new IllegalStateException(method.toGenericString() + " takes settings type "
						+ parameterType.getName() + ", which more than one plugin declares");
			}
			return (context, body) -> context.settings().get(plugin, parameterType);
		}
		return null;
	}

	/** The body parameter when it declares constraints of its own, {@code null} otherwise. */
	private JsonBinder.@Nullable BodyParameter bodyParameter(Object bean, Class<?> type, Method method, int index) {
		MethodDescriptor descriptor = this.binder.validator()
			.getConstraintsForClass(type)
			.getConstraintsForMethod(method.getName(), method.getParameterTypes());
		if (descriptor == null) {
			return null;
		}
		ParameterDescriptor parameter = descriptor.getParameterDescriptors().get(index);
		if (!parameter.hasConstraints() && !parameter.isCascaded()
				&& parameter.getConstrainedContainerElementTypes().isEmpty()) {
			return null;
		}
		return new JsonBinder.BodyParameter(bean, method, index, parameter.isCascaded());
	}

	private SettingListenerAdapter settingListener(Object bean, Method method) {
		Class<?>[] parameterTypes = method.getParameterTypes();
		for (Class<?> parameterType : parameterTypes) {
			if (parameterType != EndpointConnection.class && parameterType != Notifier.class
					&& parameterType != SettingChange.class && parameterType != Multicaster.class
					&& parameterType != ConnectionSettings.class) {
				throw new IllegalStateException("@OnSettingChanged method " + method.toGenericString()
						+ " cannot take a " + parameterType.getName());
			}
		}
		return new SettingListenerAdapter(bean, invocable(bean, method), parameterTypes, this.multicaster);
	}

	private BinaryHandlerAdapter binaryHandler(Object bean, Method method) {
		Class<?>[] parameterTypes = method.getParameterTypes();
		for (Class<?> parameterType : parameterTypes) {
			if (parameterType != EndpointConnection.class && parameterType != Notifier.class
					&& parameterType != ByteBuffer.class && parameterType != Multicaster.class
					&& parameterType != ConnectionSettings.class) {
				throw new IllegalStateException("@BinaryHandler method " + method.toGenericString()
						+ " cannot take a " + parameterType.getName());
			}
		}
		return new BinaryHandlerAdapter(bean, invocable(bean, method), parameterTypes, this.multicaster);
	}

	private Requirements requirements(@Nullable Requires requires, String declaredOn) {
		if (requires == null) {
			return Requirements.none();
		}
		Requirements requirements = Requirements.none();
		for (String setting : requires.settings()) {
			Matcher matcher = SETTING_REQUIREMENT.matcher(setting);
			if (!matcher.matches()) {
				throw new IllegalStateException("@Requires on " + declaredOn + " has setting '" + setting
						+ "', which is not of the form plugin.setting=value");
			}
			requirements = requirements.andSetting(matcher.group(1) + "." + matcher.group(2),
					settingValue(matcher.group(3)));
		}
		for (String name : requires.checks()) {
			RequirementCheck check;
			try {
				check = this.checks.apply(name);
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException("@Requires on " + declaredOn + " names check '" + name
						+ "', but there is no RequirementCheck bean of that name", ex);
			}
			if (check == null) {
				throw new IllegalStateException("@Requires on " + declaredOn + " names check '" + name
						+ "', but there is no RequirementCheck bean of that name");
			}
			requirements = requirements.andCheck(check);
		}
		requirements = requirements.andAuthorities(requires.authorities());
		return requires.authenticated() ? requirements.andAuthenticated() : requirements;
	}

	/** A value is read as JSON ({@code true}, {@code 3}, {@code "x"}), otherwise as the text itself. */
	private @Nullable Object settingValue(String text) {
		String trimmed = text.trim();
		if (trimmed.equals("null")) {
			return null;
		}
		try {
			Object value = this.binder.mapper().readValue(trimmed, Object.class);
			return (value != null) ? value : text;
		}
		catch (RuntimeException ex) {
			return text;
		}
	}

	private static Method invocable(Object bean, Method method) {
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		ReflectionUtils.makeAccessible(invocable);
		return invocable;
	}

	private static List<Method> sorted(Collection<Method> methods) {
		List<Method> sorted = new ArrayList<>(methods);
		sorted.sort(Comparator.comparing(Method::toGenericString));
		return sorted;
	}

	/** Calls a method, unwrapping what it threw. */
	private static @Nullable Object invoke(Object bean, Method method, @Nullable Object[] arguments) throws Exception {
		try {
			return method.invoke(bean, arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getTargetException();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/** Resolves one argument of an endpoint method. */
	@FunctionalInterface
	private interface ArgumentResolver {

		@Nullable Object resolve(EndpointContext context, @Nullable Object body);

	}

	/**
	 * The handler of an {@code @EndpointMapping} method. The dispatcher binds the body by the
	 * method definition's request type and checks the body parameter's own constraints with it
	 * ({@link #bodyParameter()}), so that every problem of a request is reported together.
	 */
	static final class AnnotatedHandler implements EndpointHandler<Object> {

		private final Object bean;

		private final Method method;

		private final ArgumentResolver[] resolvers;

		private final JsonBinder.@Nullable BodyParameter bodyParameter;

		AnnotatedHandler(Object bean, Method method, ArgumentResolver[] resolvers,
				JsonBinder.@Nullable BodyParameter bodyParameter) {
			this.bean = bean;
			this.method = method;
			this.resolvers = resolvers;
			this.bodyParameter = bodyParameter;
		}

		JsonBinder.@Nullable BodyParameter bodyParameter() {
			return this.bodyParameter;
		}

		@Override
		public @Nullable Object handle(EndpointContext context, @Nullable Object body) throws Exception {
			@Nullable Object[] arguments = new Object[this.resolvers.length];
			for (int i = 0; i < arguments.length; i++) {
				arguments[i] = this.resolvers[i].resolve(context, body);
			}
			return invoke(this.bean, this.method, arguments);
		}

		@Override
		public String toString() {
			return this.method.toGenericString();
		}

	}

	/** Calls an {@code @OnSettingChanged} method. */
	private static final class SettingListenerAdapter implements dev.cryo.endpoint.SettingListener {

		private final Object bean;

		private final Method method;

		private final Class<?>[] parameterTypes;

		private final Multicaster multicaster;

		SettingListenerAdapter(Object bean, Method method, Class<?>[] parameterTypes, Multicaster multicaster) {
			this.bean = bean;
			this.method = method;
			this.parameterTypes = parameterTypes;
			this.multicaster = multicaster;
		}

		@Override
		public void settingChanged(EndpointConnection connection, SettingChange change) {
			@Nullable Object[] arguments = new Object[this.parameterTypes.length];
			for (int i = 0; i < arguments.length; i++) {
				Class<?> parameterType = this.parameterTypes[i];
				arguments[i] = (parameterType == SettingChange.class) ? change
						: (parameterType == Multicaster.class) ? this.multicaster
								: (parameterType == ConnectionSettings.class) ? connection.settings() : connection;
			}
			try {
				invoke(this.bean, this.method, arguments);
			}
			catch (Exception ex) {
				ReflectionUtils.rethrowRuntimeException(ex);
			}
		}

	}

	/** Calls a {@code @BinaryHandler} method. */
	private static final class BinaryHandlerAdapter implements dev.cryo.endpoint.BinaryMessageHandler {

		private final Object bean;

		private final Method method;

		private final Class<?>[] parameterTypes;

		private final Multicaster multicaster;

		BinaryHandlerAdapter(Object bean, Method method, Class<?>[] parameterTypes, Multicaster multicaster) {
			this.bean = bean;
			this.method = method;
			this.parameterTypes = parameterTypes;
			this.multicaster = multicaster;
		}

		@Override
		public void handle(EndpointConnection connection, ByteBuffer payload) throws Exception {
			@Nullable Object[] arguments = new Object[this.parameterTypes.length];
			for (int i = 0; i < arguments.length; i++) {
				Class<?> parameterType = this.parameterTypes[i];
				arguments[i] = (parameterType == ByteBuffer.class) ? payload
						: (parameterType == Multicaster.class) ? this.multicaster
								: (parameterType == ConnectionSettings.class) ? connection.settings() : connection;
			}
			invoke(this.bean, this.method, arguments);
		}

	}

}
