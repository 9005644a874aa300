"""Terraform / OpenTofu diagnostics as error types.

A diagnostic's summary ("Unsupported argument") becomes a CamelCase type
(``UnsupportedArgument``), quoted names dropped ("Duplicate resource "aws_s3_bucket"
configuration" -> ``DuplicateResourceConfiguration``), so rules can name it in
``match.error`` and match whole families through these parents.
"""

from __future__ import annotations

import re

from homeostasis.languages.config import Hierarchy

_PARENT: dict[str, str] = {
    "HclError": "TerraformError",
    # The HCL parser: the file is not valid HCL.
    "HclSyntaxError": "HclError",
    "InvalidExpression": "HclSyntaxError",
    "UnclosedConfigurationBlock": "HclSyntaxError",
    "MissingNewlineAfterArgument": "HclSyntaxError",
    "MissingNewlineAfterBlockDefinition": "HclSyntaxError",
    "ArgumentOrBlockDefinitionRequired": "HclSyntaxError",
    "InvalidBlockDefinition": "HclSyntaxError",
    "InvalidArgumentName": "HclSyntaxError",
    "InvalidCharacter": "HclSyntaxError",
    "InvalidMultiLineStringLiteral": "HclSyntaxError",
    "UnterminatedTemplateString": "HclSyntaxError",
    "MissingKeyValueSeparator": "HclSyntaxError",
    "MissingItemSeparator": "HclSyntaxError",
    "MissingAttributeSeparator": "HclSyntaxError",
    "MissingAttributeValue": "HclSyntaxError",
    "ExtraCharactersAfterInterpolationExpression": "HclSyntaxError",
    "UnsupportedOperator": "HclSyntaxError",
    # References to things that are not declared.
    "ReferenceError": "HclError",
    "ReferenceToUndeclaredInputVariable": "ReferenceError",
    "ReferenceToUndeclaredLocalValue": "ReferenceError",
    "ReferenceToUndeclaredResource": "ReferenceError",
    "ReferenceToUndeclaredModule": "ReferenceError",
    "ReferenceToUndeclaredOutputValue": "ReferenceError",
    "InvalidReference": "ReferenceError",
    "UnsupportedAttribute": "ReferenceError",
    # The configuration does not fit the schema of a block.
    "SchemaError": "HclError",
    "UnsupportedArgument": "SchemaError",
    "UnsupportedBlockType": "SchemaError",
    "MissingRequiredArgument": "SchemaError",
    "InsufficientBlocks": "SchemaError",
    "TooManyBlocks": "SchemaError",
    "InvalidTypeSpecification": "SchemaError",
    "DuplicateDeclaration": "SchemaError",
    "DuplicateResourceConfiguration": "DuplicateDeclaration",
    "DuplicateDataResourceConfiguration": "DuplicateDeclaration",
    "DuplicateVariableDeclaration": "DuplicateDeclaration",
    "DuplicateOutputDefinition": "DuplicateDeclaration",
    "DuplicateLocalValueDefinition": "DuplicateDeclaration",
    "DuplicateModuleCall": "DuplicateDeclaration",
    "DuplicateArgument": "DuplicateDeclaration",
    "AttributeRedefined": "DuplicateDeclaration",
    # Functions and values.
    "FunctionError": "HclError",
    "CallToUnknownFunction": "FunctionError",
    "InvalidFunctionArgument": "FunctionError",
    "ValueError": "HclError",
    "IncorrectAttributeValueType": "ValueError",
    "InvalidValueForInputVariable": "ValueError",
    "InvalidValueForVariable": "ValueError",
    "NoValueForRequiredVariable": "ValueError",
    "InvalidIndex": "ValueError",
    "InvalidCountArgument": "ValueError",
    "InvalidForEachArgument": "ValueError",
    # Initialisation: providers and modules.
    "InitError": "TerraformError",
    "ModuleNotInstalled": "InitError",
    "MissingRequiredProvider": "InitError",
    "InconsistentDependencyLockFile": "InitError",
    "FailedToQueryAvailableProviderPackages": "InitError",
    "UnsupportedTerraformCoreVersion": "InitError",
}

HIERARCHY = Hierarchy(_PARENT)
_QUOTED = re.compile(r'"[^"]*"')
_WORD = re.compile(r"[A-Za-z0-9]+")


def ancestors(error_type: str) -> tuple[str, ...]:
    return HIERARCHY.ancestors(error_type)


def type_of(summary: str) -> str:
    """``Duplicate resource "x" configuration`` -> ``DuplicateResourceConfiguration``."""
    words = _WORD.findall(_QUOTED.sub(" ", summary))
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return name or "TerraformError"
