package io.spinclean.cli;

public final class Main {
  public static void main(String[] args) {}
}
