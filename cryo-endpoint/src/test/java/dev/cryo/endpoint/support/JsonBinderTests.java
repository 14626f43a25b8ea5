package dev.cryo.endpoint.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.JsonNode;

import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.Hostname;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JsonBinder}: each of yoctopus's formats, valid and invalid, with the path of
 * every problem.
 */
class JsonBinderTests {

	private final JsonBinder binder = EngineTestSupport.binder();

	@Test
	void bindsEveryFormatWhenValid() {
		Everything value = (Everything) bind("""
				{"name":"n","count":3,"ratio":1,"flag":false,"tags":["a"],"address":{"city":"c","zip":"1"},
				 "email":"a@example.com","host":"example.com","day":"2024-02-29","when":"2024-01-01T10:00:00Z",
				 "color":"GREEN","scores":{"x":1},"extra":"ignored"}""", Everything.class);
		assertThat(value).isEqualTo(new Everything("n", 3, 1.0, false, List.of("a"), new Address("c", "1"),
				"a@example.com", "example.com", LocalDate.of(2024, 2, 29), Instant.parse("2024-01-01T10:00:00Z"),
				Color.GREEN, Map.of("x", 1)));
	}

	@Test
	void stringRefusesNumbersBooleansAndObjects() {
		assertProblems("{\"name\":1}", Everything.class, "data.name: must be a string");
		assertProblems("{\"name\":1.5}", Everything.class, "data.name: must be a string");
		assertProblems("{\"name\":true}", Everything.class, "data.name: must be a string");
		assertProblems("{\"name\":{}}", Everything.class, "data.name: must be a string");
		assertProblems("{\"name\":[\"a\"]}", Everything.class, "data.name: must be a string");
	}

	@Test
	void emptyStringIsAStringNotNull() {
		assertThat(bind("\"\"", String.class)).isEqualTo("");
		assertProblems("{\"count\":\"\"}", Everything.class, "data.count: must be an integer");
		assertProblems("{\"address\":\"\"}", Everything.class, "data.address: must be an object");
		assertProblems("{\"tags\":\"\"}", Everything.class, "data.tags: must be an array");
	}

	@Test
	void integerRefusesStringsFractionsAndBooleans() {
		assertProblems("{\"count\":\"3\"}", Everything.class, "data.count: must be an integer");
		assertProblems("{\"count\":3.5}", Everything.class, "data.count: must be an integer");
		assertProblems("{\"count\":true}", Everything.class, "data.count: must be an integer");
		assertProblems("{\"count\":null,\"flag\":true}", Primitives.class, "data.count: must not be null");
		assertProblems("{\"count\":1}", Primitives.class, "data.flag: must not be null");
		assertProblems("{\"count\":12345678901}", Everything.class, "data.count: is out of range for int");
	}

	@Test
	void numberAcceptsIntegersButRefusesStringsAndBooleans() {
		assertThat(bind("2", double.class)).isEqualTo(2.0);
		assertProblems("{\"ratio\":\"1.5\"}", Everything.class, "data.ratio: must be a number");
		assertProblems("{\"ratio\":false}", Everything.class, "data.ratio: must be a number");
	}

	@Test
	void booleanRefusesStringsAndNumbers() {
		assertProblems("{\"flag\":\"true\"}", Everything.class, "data.flag: must be a boolean");
		assertProblems("{\"flag\":1}", Everything.class, "data.flag: must be a boolean");
		assertProblems("{\"count\":1,\"flag\":null}", Primitives.class, "data.flag: must not be null");
	}

	@Test
	void arrayRefusesScalarsAndChecksElements() {
		assertProblems("{\"tags\":\"a\"}", Everything.class, "data.tags: must be an array");
		assertProblems("{\"tags\":[\"a\",2]}", Everything.class, "data.tags[1]: must be a string");
		assertProblems("{\"a\":1}", new ParameterizedTypeReference<List<String>>() {
		}, "data: must be an array");
	}

	@Test
	void objectRefusesScalarsAndReportsNestedPaths() {
		assertProblems("{\"address\":\"x\"}", Everything.class, "data.address: must be an object");
		assertProblems("{\"address\":{\"city\":\"c\",\"zip\":123}}", Everything.class,
				"data.address.zip: must be a string");
		assertProblems("{\"scores\":{\"x\":\"1\"}}", Everything.class, "data.scores.x: must be an integer");
		assertProblems("[]", Address.class, "data: must be an object");
	}

	@Test
	void dateIsAStrictIsoString() {
		assertProblems("{\"day\":\"2024-02-30\"}", Everything.class, "data.day: must be an ISO-8601 date");
		assertProblems("{\"day\":\"yesterday\"}", Everything.class, "data.day: must be an ISO-8601 date");
		assertProblems("{\"day\":19000}", Everything.class, "data.day: must be an ISO-8601 date");
		assertProblems("{\"day\":\"\"}", Everything.class, "data.day: must be an ISO-8601 date");
		assertProblems("{\"day\":[2024,1,1]}", Everything.class, "data.day: must be an ISO-8601 date");
		assertProblems("{\"when\":0}", Everything.class, "data.when: must be an ISO-8601 date-time");
		assertProblems("{\"when\":\"2024-01-01 10:00\"}", Everything.class, "data.when: must be an ISO-8601 date-time");
	}

	@Test
	void enumIsOneOfItsExactNames() {
		assertProblems("{\"color\":\"green\"}", Everything.class, "data.color: must be one of [RED, GREEN]");
		assertProblems("{\"color\":\"BLUE\"}", Everything.class, "data.color: must be one of [RED, GREEN]");
		assertProblems("{\"color\":1}", Everything.class, "data.color: must be one of [RED, GREEN]");
	}

	@Test
	void emailHostnameAndCustomConstraintsAreValidated() {
		assertProblems("{\"email\":\"not an address\"}", Everything.class,
				"data.email: must be a well-formed email address");
		assertProblems("{\"host\":\"-bad-.example\"}", Everything.class, "data.host: must be a valid hostname");
		assertProblems("{\"value\":3}", Counter.class, "data.value: must be even");
	}

	@Test
	void everyViolationIsListedWithItsPath() {
		assertProblems("""
				{"address":{"city":" ","zip":"1"},"email":"x","host":"a..b",
				 "people":[{"name":"ok"},{"name":""}],"tags":["a","b","c"]}""", Nested.class,
				"data.address.city: must not be blank", "data.email: must be a well-formed email address",
				"data.host: must be a valid hostname", "data.people[1].name: must not be blank",
				"data.tags: size must be between 0 and 2");
	}

	@Test
	void bindsJavaBeansAndArrays() {
		Bean bean = (Bean) bind("{\"title\":\"t\",\"sizes\":[1,2]}", Bean.class);
		assertThat(bean.getTitle()).isEqualTo("t");
		assertThat(bean.getSizes()).containsExactly(1, 2);
		assertProblems("{\"title\":\"\",\"sizes\":[1,\"2\"]}", Bean.class, "data.sizes[1]: must be an integer");
		assertProblems("{\"title\":\" \"}", Bean.class, "data.title: must not be blank");
		assertThat((String[]) bind("[\"a\",\"b\"]", String[].class)).containsExactly("a", "b");
		assertProblems("\"a\"", String[].class, "data: must be an array");
	}

	@Test
	void rootValuesBind() {
		assertThat(bind("\"text\"", String.class)).isEqualTo("text");
		assertThat(bind("true", Boolean.class)).isEqualTo(true);
		assertThat(bind("{\"a\":[1]}", JsonNode.class)).isEqualTo(this.binder.mapper().readTree("{\"a\":[1]}"));
		assertThat(bind("null", Address.class)).isNull();
		assertProblems("null", int.class, "data: must not be null");
		assertProblems("1", String.class, "data: must be a string");
	}

	private Object bind(String json, java.lang.reflect.Type type) {
		return this.binder.bind(this.binder.mapper().readTree(json), type, "data");
	}

	private void assertProblems(String json, Object type, String... messages) {
		java.lang.reflect.Type target = (type instanceof ParameterizedTypeReference<?> reference) ? reference.getType()
				: (java.lang.reflect.Type) type;
		assertThatExceptionOfType(EndpointException.class).isThrownBy(() -> bind(json, target))
			.satisfies((ex) -> assertThat(ex.getMessages()).containsExactlyInAnyOrder(messages));
	}

	enum Color {

		RED, GREEN

	}

	record Address(@NotBlank String city, String zip) {

	}

	record Everything(String name, Integer count, Double ratio, Boolean flag, List<String> tags, Address address,
			@Email String email, @Hostname String host, LocalDate day, Instant when, Color color,
			Map<String, Integer> scores) {

	}

	public static class Bean {

		@NotBlank
		private String title;

		private int[] sizes;

		public String getTitle() {
			return this.title;
		}

		public void setTitle(String title) {
			this.title = title;
		}

		public int[] getSizes() {
			return this.sizes;
		}

		public void setSizes(int[] sizes) {
			this.sizes = sizes;
		}

	}

	record Primitives(int count, boolean flag) {

	}

	record Person(@NotBlank String name) {

	}

	record Nested(@Valid Address address, @Email String email, @Hostname String host, List<@Valid Person> people,
			@Size(max = 2) List<String> tags) {

	}

	record Counter(@Even int value) {

	}

	@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@Constraint(validatedBy = EvenValidator.class)
	@interface Even {

		String message() default "must be even";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	public static class EvenValidator implements ConstraintValidator<Even, Integer> {

		@Override
		public boolean isValid(Integer value, ConstraintValidatorContext context) {
			return value == null || value % 2 == 0;
		}

	}

}
