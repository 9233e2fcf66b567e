package cloudflow.flink.boot.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.loader.tools.CustomLoaderLayout;
import org.springframework.boot.loader.tools.Layout;
import org.springframework.boot.loader.tools.LoaderClassesWriter;

class StreamletJarLayoutFactoryTest {

  @Test
  void writesSpringBootsLoaderAndEveryClassOfTheLauncherPackage() throws IOException, URISyntaxException {
    Layout layout = new StreamletJarLayoutFactory().getLayout(new File("app.jar"));
    assertThat(layout.getLauncherClassName()).isEqualTo("cloudflow.flink.boot.loader.StreamletJarLauncher");
    assertThat(layout.getLibraryLocation("x.jar", null)).isEqualTo("BOOT-INF/lib/");

    List<String> written = new ArrayList<>();
    boolean[] loaderWritten = {false};
    ((CustomLoaderLayout) layout).writeLoadedClasses(new LoaderClassesWriter() {
      @Override
      public void writeLoaderClasses() {
        loaderWritten[0] = true;
      }

      @Override
      public void writeLoaderClasses(String loaderJarResourceName) {
        throw new AssertionError("the default loader classes are enough");
      }

      @Override
      public void writeEntry(String name, InputStream inputStream) throws IOException {
        assertThat(inputStream.readAllBytes()).isNotEmpty();
        written.add(name);
      }
    });
    assertThat(loaderWritten[0]).isTrue();

    Path classes = Path.of(StreamletJarLayoutFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> compiled;
    try (Stream<Path> walk = Files.walk(classes.resolve("cloudflow/flink/boot/loader"))) {
      compiled = walk.filter(path -> path.toString().endsWith(".class"))
          .map(path -> classes.relativize(path).toString().replace(File.separatorChar, '/'))
          .toList();
    }
    assertThat(written).containsExactlyInAnyOrderElementsOf(compiled);
  }
}
