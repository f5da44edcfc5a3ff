package dev.tandem.state;

public enum OutputFormat { TEXT, JSON }
