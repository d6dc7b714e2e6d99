package io.spinclean.deploy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Test-only: the head of an HTTP/1.1 message as it travels on a socket: the request or status line,
 * then the header fields in their order. {@link RbacProxy} reads, rewrites and writes it.
 */
record HttpHead(String startLine, List<Map.Entry<String, String>> headers) {
  private static final int MAX_HEAD = 64 * 1024;

  HttpHead {
    headers = List.copyOf(headers);
  }

  /** The next head on {@code in}, or null if the stream ends before its first byte. */
  static HttpHead read(InputStream in) throws IOException {
    String start = line(in, true);
    if (start == null) {
      return null;
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    int size = start.length();
    for (String line = line(in, false); !line.isEmpty(); line = line(in, false)) {
      size += line.length();
      int colon = line.indexOf(':');
      if (colon <= 0 || size > MAX_HEAD) {
        throw new IOException("not an HTTP header field: " + line);
      }
      headers.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
    }
    return new HttpHead(start, headers);
  }

  /** The first value of a header field, by case-insensitive name. */
  Optional<String> header(String name) {
    return headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** This head without the fields named (lower case) in {@code names}. */
  HttpHead without(Set<String> names) {
    return new HttpHead(
        startLine,
        headers.stream()
            .filter(h -> !names.contains(h.getKey().toLowerCase(Locale.ROOT)))
            .toList());
  }

  /** This head with one more field, after the others. */
  HttpHead with(String name, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(headers);
    more.add(Map.entry(name, value));
    return new HttpHead(startLine, more);
  }

  byte[] bytes() {
    StringBuilder s = new StringBuilder(startLine).append("\r\n");
    headers.forEach(h -> s.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
    return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The body of the request this head starts, read from {@code in} as sent (with its chunked
   * framing, if any): empty without Content-Length or Transfer-Encoding.
   */
  byte[] readBody(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (header("Transfer-Encoding").filter("chunked"::equalsIgnoreCase).isPresent()) {
      for (; ; ) {
        String size = line(in, false);
        write(body, size);
        int length = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
        if (length == 0) {
          for (String trailer = line(in, false); ; trailer = line(in, false)) {
            write(body, trailer);
            if (trailer.isEmpty()) {
              return body.toByteArray();
            }
          }
        }
        copy(in, body, length);
        write(body, line(in, false));
      }
    }
    copy(in, body, Long.parseLong(header("Content-Length").orElse("0")));
    return body.toByteArray();
  }

  private static void write(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] bytes = in.readNBytes(Math.toIntExact(length));
    if (bytes.length < length) {
      throw new EOFException("body ended after " + bytes.length + " of " + length + " bytes");
    }
    out.write(bytes);
  }

  /** One CRLF-terminated line without the CRLF; null only at a clean end when allowed. */
  private static String line(InputStream in, boolean endAllowed) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        if (endAllowed && s.length() == 0) {
          return null;
        }
        throw new EOFException("the connection closed in the middle of an HTTP head");
      }
      if (s.length() > MAX_HEAD) {
        throw new IOException("an HTTP line longer than " + MAX_HEAD + " bytes");
      }
      s.append((char) c);
    }
    int end = s.length() > 0 && s.charAt(s.length() - 1) == '\r' ? s.length() - 1 : s.length();
    return s.substring(0, end);
  }
}
