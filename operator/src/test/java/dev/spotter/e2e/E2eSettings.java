package dev.spotter.e2e;

import java.nio.file.Path;

/**
 * What the e2e profile passes to the suite (operator/pom.xml, profile e2e): how the operator runs,
 * the k3s image, the chart, and the operator image when it is built.
 *
 * @param mode how the operator runs: {@link Mode#INPROCESS} (default) or {@link Mode#IMAGE}
 * @param k3sImage the rancher/k3s image of both nodes
 * @param chart the chart directory (helm/spotter)
 * @param image the operator image Jib built (mode image), for example spotter:e2e
 * @param imageTar the tarball Jib wrote it to (mode image)
 */
record E2eSettings(Mode mode, String k3sImage, Path chart, String image, Path imageTar) {

  /** How the operator under test runs. */
  enum Mode {
    /** SpotterOperator in the test JVM, with the chart's ServiceAccount impersonated: needs no image. */
    INPROCESS,
    /** The chart's Deployment, from the image Maven built with Jib and loaded into every k3s node. */
    IMAGE
  }

  static E2eSettings fromSystemProperties() {
    String mode = System.getProperty("spotter.e2e.mode", "inprocess").trim().toLowerCase(java.util.Locale.ROOT);
    Mode m = switch (mode) {
      case "inprocess", "in-process", "" -> Mode.INPROCESS;
      case "image" -> Mode.IMAGE;
      default -> throw new IllegalArgumentException("spotter.e2e.mode must be inprocess or image, got " + mode);
    };
    return new E2eSettings(
        m,
        System.getProperty("spotter.e2e.k3sImage", "rancher/k3s:v1.33.5-k3s1"),
        Path.of(System.getProperty("spotter.e2e.chart", "../helm/spotter")),
        System.getProperty("spotter.e2e.image", "spotter:e2e"),
        Path.of(System.getProperty("spotter.e2e.imageTar", "target/spotter-e2e-image.tar")));
  }

  /** The repository part of {@link #image()} (spotter of spotter:e2e). */
  String imageRepository() {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  /** The tag part of {@link #image()} (e2e of spotter:e2e). */
  String imageTag() {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
  }
}
