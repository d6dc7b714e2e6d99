package io.spinclean.kube.embedded;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A watch's listener that also counts it and keeps its WebSocket in a set while it is open. */
final class TrackedWatch extends WebSocketListener {
  private final WebSocketListener delegate;
  private final Set<WebSocket> open;
  private final AtomicInteger opened;

  TrackedWatch(WebSocketListener delegate, Set<WebSocket> open, AtomicInteger opened) {
    this.delegate = delegate;
    this.open = open;
    this.opened = opened;
  }

  @Override
  public void onBeforeAccept(WebSocket ws, Response response) {
    delegate.onBeforeAccept(ws, response);
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
    open.add(ws);
    opened.incrementAndGet();
    delegate.onOpen(ws, response);
  }

  @Override
  public void onMessage(WebSocket ws, String text) {
    delegate.onMessage(ws, text);
  }

  @Override
  public void onMessage(WebSocket ws, byte[] bytes) {
    delegate.onMessage(ws, bytes);
  }

  @Override
  public void onPing(WebSocket ws, byte[] bytes) {
    delegate.onPing(ws, bytes);
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    open.remove(ws);
    delegate.onClosing(ws, code, reason);
  }

  @Override
  public void onClosed(WebSocket ws, int code, String reason) {
    open.remove(ws);
    delegate.onClosed(ws, code, reason);
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    open.remove(ws);
    delegate.onFailure(ws, t, response);
  }
}
