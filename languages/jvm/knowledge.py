"""JVM knowledge shared by the Java and Kotlin plugins: where a missing class comes from."""

from __future__ import annotations

import re

# Package (or class) prefix -> the Maven coordinates that provide it, for classes that a
# ClassNotFoundException / NoClassDefFoundError most often names.
_PROVIDERS: tuple[tuple[str, str], ...] = (
    ("com.mysql.", "com.mysql:mysql-connector-j"),
    ("org.postgresql.", "org.postgresql:postgresql"),
    ("org.h2.", "com.h2database:h2"),
    ("org.sqlite.", "org.xerial:sqlite-jdbc"),
    ("org.mariadb.jdbc.", "org.mariadb.jdbc:mariadb-java-client"),
    ("oracle.jdbc.", "com.oracle.database.jdbc:ojdbc11"),
    ("com.microsoft.sqlserver.", "com.microsoft.sqlserver:mssql-jdbc"),
    ("org.hsqldb.", "org.hsqldb:hsqldb"),
    ("javax.xml.bind.", "jakarta.xml.bind:jakarta.xml.bind-api (JAXB left the JDK in Java 11)"),
    ("javax.annotation.", "jakarta.annotation:jakarta.annotation-api (removed from the JDK in Java 11)"),
    ("javax.activation.", "jakarta.activation:jakarta.activation-api (removed from the JDK in Java 11)"),
    (
        "javax.servlet.",
        "jakarta.servlet:jakarta.servlet-api (or javax.servlet:javax.servlet-api before Jakarta EE 9)",
    ),
    ("org.slf4j.", "org.slf4j:slf4j-api"),
    ("ch.qos.logback.", "ch.qos.logback:logback-classic"),
    ("org.apache.logging.log4j.", "org.apache.logging.log4j:log4j-api"),
    ("org.apache.commons.lang3.", "org.apache.commons:commons-lang3"),
    ("org.apache.commons.io.", "commons-io:commons-io"),
    ("com.fasterxml.jackson.databind.", "com.fasterxml.jackson.core:jackson-databind"),
    ("com.fasterxml.jackson.core.", "com.fasterxml.jackson.core:jackson-core"),
    ("com.fasterxml.jackson.module.kotlin.", "com.fasterxml.jackson.module:jackson-module-kotlin"),
    ("com.google.gson.", "com.google.code.gson:gson"),
    ("com.google.common.", "com.google.guava:guava"),
    ("org.junit.jupiter.", "org.junit.jupiter:junit-jupiter"),
    ("org.junit.platform.", "org.junit.platform:junit-platform-launcher"),
    ("org.mockito.", "org.mockito:mockito-core"),
    ("okhttp3.", "com.squareup.okhttp3:okhttp"),
    ("retrofit2.", "com.squareup.retrofit2:retrofit"),
    ("kotlinx.coroutines.", "org.jetbrains.kotlinx:kotlinx-coroutines-core"),
    ("kotlinx.serialization.", "org.jetbrains.kotlinx:kotlinx-serialization-json"),
    ("kotlin.reflect.full.", "org.jetbrains.kotlin:kotlin-reflect"),
    ("kotlin.", "org.jetbrains.kotlin:kotlin-stdlib"),
)
_CLASS_NAME = re.compile(r"^(?:[\w$]+[./])+[\w$]+")


def dependency_hint(message: str) -> str:
    """A sentence naming the artifact that provides the class in ``message``, or ``""``."""
    match = _CLASS_NAME.match(message.strip())
    if match is None:
        return ""
    name = match.group(0).replace("/", ".")
    for prefix, artifact in _PROVIDERS:
        if name.startswith(prefix):
            return f" It is provided by {artifact}: add it to the runtime dependencies."
    return " Add the library that provides it to the runtime dependencies, or correct the name."
