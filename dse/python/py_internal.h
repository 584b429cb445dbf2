#pragma once
// Shared by dse/python/*.cpp only: pybind11 is included here and nowhere outside dse/python.
#include <pybind11/pybind11.h>

#include <string>

#include "dse/config/config_node.h"
#include "dse/sweep/hooks.h"

namespace chipdse::python {

namespace py = pybind11;

// "Traceback (most recent call last): ... ValueError: ..." of a caught Python error.
std::string error_text(const py::error_already_set& e);

// What a user's function gets: a view of one point, valid only during the call.
struct PointHandle {
    const sweep::HookPoint* point = nullptr;
};

// What a candidate generator gets: the search space and a way to evaluate batches.
struct SearchHandle {
    const sweep::GeneratorContext* ctx = nullptr;
};

// A config subtree as Python values: maps as dicts, lists as lists, scalars as their text.
py::object to_python(const config::ConfigNode& n);
// A scalar's value in SI units when it parses as a number or a quantity, else its text.
py::object scalar_value(const std::string& text);

// Drops the Python objects the hooks cache (modules), before the interpreter is finalised.
void release_hook_objects();

// Keeps module.cpp (the `chipdse` module's registration) in the link.
void link_chipdse_module();

}  // namespace chipdse::python
