package cloudflow.streamlets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigMemorySize;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cloudflow's names and signatures of config parameters, next to ours. */
class CloudflowConfigParameterAliasesTest {

  private static StreamletContext contextWith(String streamletConfig) {
    Config config = ConfigFactory.parseString(streamletConfig);
    return new StreamletContext() {
      @Override
      public String streamletRef() {
        return "s";
      }

      @Override
      public Config streamletConfig() {
        return config;
      }
    };
  }

  @Test
  void getKeyIsTheKey() {
    assertThat(IntegerConfigParameter.create("window-size", "Records per window").getKey()).isEqualTo("window-size");
  }

  @Test
  void valueReadsWhatGetValueReads() {
    StreamletContext context = contextWith("window-size = 12");
    IntegerConfigParameter parameter = IntegerConfigParameter.create("window-size", "Records per window");

    assertThat(parameter.value(context)).isEqualTo(12).isEqualTo(parameter.getValue(context));
  }

  @Test
  void durationDefaultsAreHoconStrings() {
    DurationConfigParameter parameter = DurationConfigParameter.create("ttl", "Time to live").withDefaultValue("5 minutes");

    assertThat(parameter.defaultValue()).contains("5 minutes");
    assertThat(parameter.getValue(contextWith(""))).isEqualTo(Duration.ofMinutes(5));
    assertThat(parameter.getValue(contextWith("ttl = 2s"))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void durationDefaultsThatAreNoDurationFailWhereDeclared() {
    DurationConfigParameter parameter = DurationConfigParameter.create("ttl", "Time to live");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> parameter.withDefaultValue("five minutes"))
        .withMessageContaining("'five minutes'");
  }

  @Test
  void memorySizesAreConfigMemorySizesAndTheirDefaultsHoconStrings() {
    MemorySizeConfigParameter parameter =
        MemorySizeConfigParameter.create("max-size", "Maximum size of the log").withDefaultValue("512M");

    ConfigMemorySize byDefault = parameter.getValue(contextWith(""));
    assertThat(byDefault).isEqualTo(ConfigMemorySize.ofBytes(512L * 1024 * 1024));
    assertThat(parameter.getValue(contextWith("max-size = 1 GiB")).toBytes()).isEqualTo(1024L * 1024 * 1024);
    assertThat(parameter.withDefaultValue(2048L).getValue(contextWith("")).toBytes()).isEqualTo(2048L);
  }

  @Test
  void memorySizeDefaultsThatAreNoSizeFailWhereDeclared() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MemorySizeConfigParameter.create("max-size", "Maximum").withDefaultValue("lots"))
        .withMessageContaining("'lots'");
  }

  @Test
  void logAndSkipOffersNoReplacement() {
    Optional<Object> replacement = CodecInlet.logAndSkip(new byte[] {1, 2}, new DecodeException("bad", null));

    assertThat(replacement).isEmpty();
  }
}
