package dev.cryo.endpoint.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.Hostname;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestFormats}.
 */
class RequestFormatsTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final RequestFormats formats = new RequestFormats(this.mapper);

	private String describe(Type type) {
		return this.mapper.writeValueAsString(this.formats.describe(type));
	}

	private static Type typeOf(TypeReference<?> reference) {
		return reference.getType();
	}

	@Test
	void noTypeIsJsonNull() {
		assertThat(this.formats.describe(null).isNull()).isTrue();
	}

	@Test
	void scalars() {
		assertThat(describe(String.class)).isEqualTo("\"string\"");
		assertThat(describe(int.class)).isEqualTo("\"number\"");
		assertThat(describe(Long.class)).isEqualTo("\"number\"");
		assertThat(describe(double.class)).isEqualTo("\"number\"");
		assertThat(describe(BigDecimal.class)).isEqualTo("\"number\"");
		assertThat(describe(boolean.class)).isEqualTo("\"bool\"");
		assertThat(describe(Boolean.class)).isEqualTo("\"bool\"");
		assertThat(describe(UUID.class)).isEqualTo("\"string\"");
		assertThat(describe(Duration.class)).isEqualTo("\"string\"");
		assertThat(describe(ZoneOffset.class)).isEqualTo("\"string\"");
	}

	@Test
	void arraysAndObjects() {
		assertThat(describe(typeOf(new TypeReference<List<String>>() {
		}))).isEqualTo("\"array\"");
		assertThat(describe(String[].class)).isEqualTo("\"array\"");
		assertThat(describe(Set.class)).isEqualTo("\"array\"");
		assertThat(describe(typeOf(new TypeReference<Map<String, Object>>() {
		}))).isEqualTo("\"object\"");
		assertThat(describe(JsonNode.class)).isEqualTo("\"object\"");
		assertThat(describe(Object.class)).isEqualTo("\"object\"");
	}

	@Test
	void dates() {
		assertThat(describe(LocalDate.class)).isEqualTo("\"date\"");
		assertThat(describe(Instant.class)).isEqualTo("\"date\"");
		assertThat(describe(OffsetDateTime.class)).isEqualTo("\"date\"");
		assertThat(describe(Date.class)).isEqualTo("\"date\"");
	}

	@Test
	void enumIsTheUnionOfItsConstantsAsJacksonWritesThem() {
		assertThat(describe(Color.class)).isEqualTo("[\"red\",\"GREEN\"]");
	}

	@Test
	void optionalIsItsContent() {
		assertThat(describe(typeOf(new TypeReference<Optional<String>>() {
		}))).isEqualTo("\"string\"");
	}

	@Test
	void recordIsAnObjectOfItsPropertiesWithJacksonNamesAndFormats() {
		assertThat(describe(Contact.class)).isEqualTo("{\"mail\":\"email\",\"host\":\"hostname\",\"born\":\"date\","
				+ "\"display_name\":\"string\",\"color\":[\"red\",\"GREEN\"],"
				+ "\"address\":{\"street\":\"string\",\"zip\":\"number\"},\"tags\":\"array\"}");
	}

	@Test
	void requiredAndCustomConstraintsAddTheLongForm() {
		assertThat(describe(Signup.class))
			.isEqualTo("{\"name\":{\"type\":\"string\",\"required\":true},"
					+ "\"nick\":{\"type\":\"string\",\"required\":true},"
					+ "\"roles\":{\"type\":\"array\",\"required\":true},"
					+ "\"password\":{\"type\":\"string\",\"required\":true,\"custom\":[\"Size\"]},"
					+ "\"age\":{\"type\":\"number\",\"custom\":[\"Max\"]},"
					+ "\"mail\":{\"type\":\"email\",\"required\":true},"
					+ "\"code\":{\"type\":\"string\",\"custom\":[\"Pattern\"]},"
					+ "\"even\":{\"type\":\"number\",\"custom\":[\"Even\"]}}");
	}

	@Test
	void typeLevelCustomConstraintWrapsTheObject() {
		assertThat(describe(Range.class))
			.isEqualTo("{\"type\":{\"from\":\"number\",\"to\":\"number\"},\"custom\":[\"Ordered\"]}");
	}

	@Test
	void javaBeanPropertiesAreDescribed() {
		assertThat(describe(Bean.class)).isEqualTo("{\"admin\":\"bool\",\"name\":{\"type\":\"string\",\"required\":true}}");
	}

	@Test
	void typeThatContainsItselfIsAnObjectWhereItRecurs() {
		assertThat(describe(Node.class))
			.isEqualTo("{\"name\":\"string\",\"next\":\"object\",\"child\":{\"value\":\"number\",\"parent\":\"object\"}}");
	}

	@Test
	void descriptionsAreReused() {
		assertThat(this.formats.describe(Contact.class)).isSameAs(this.formats.describe(Contact.class));
	}

	enum Color {

		@JsonProperty("red")
		RED, GREEN

	}

	public record Address(String street, int zip) {
	}

	public record Contact(@Email String mail, @Hostname String host, LocalDate born,
			@JsonProperty("display_name") String displayName, Color color, Address address, List<String> tags) {
	}

	public record Signup(@NotNull String name, @NotBlank String nick, @NotEmpty List<String> roles,
			@NotBlank @Size(min = 8) String password, @Max(150) int age, @NotNull @Email String mail,
			@Pattern(regexp = "[a-z]+") @Pattern(regexp = ".{2}") String code, @Even int even) {
	}

	@Ordered
	public record Range(int from, int to) {
	}

	public record Node(String name, Node next, Child child) {
	}

	public record Child(int value, Node parent) {
	}

	public static class Bean {

		@NotBlank
		private String name;

		private boolean admin;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public boolean isAdmin() {
			return this.admin;
		}

		public void setAdmin(boolean admin) {
			this.admin = admin;
		}

	}

	@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER })
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@Constraint(validatedBy = EvenValidator.class)
	@interface Even {

		String message() default "must be even";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	static class EvenValidator implements ConstraintValidator<Even, Integer> {

		@Override
		public boolean isValid(Integer value, ConstraintValidatorContext context) {
			return value == null || value % 2 == 0;
		}

	}

	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@Constraint(validatedBy = OrderedValidator.class)
	@interface Ordered {

		String message() default "from must not be after to";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	static class OrderedValidator implements ConstraintValidator<Ordered, Range> {

		@Override
		public boolean isValid(Range value, ConstraintValidatorContext context) {
			return value == null || value.from() <= value.to();
		}

	}

}
