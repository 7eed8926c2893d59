package dev.spotter.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** Switches logback between the text and the JSON (logstash) layout at start-up. */
final class Logging {
  private Logging() {}

  static void configure(String format) {
    if (!"json".equals(format)) {
      return;
    }
    URL json = Logging.class.getResource("/logback-json.xml");
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    try {
      JoranConfigurator c = new JoranConfigurator();
      c.setContext(ctx);
      ctx.reset();
      c.doConfigure(json);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot switch to JSON logs", e);
    }
  }
}
