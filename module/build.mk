# SPDX-License-Identifier: GPL-2.0
# What every build of module/'s sources needs (the module's Kbuild, the table
# self-test's): include paths, the version, and the kernel's API probes.
# Include it after setting swaptab-y.
ccflags-y += -I$(src)/include/uapi -I$(src)/module -I$(src)
# MODULE_VERSION: the one version string, in VERSION.
ccflags-y += -DSWAPTAB_VERSION='"$(shell cat $(src)/VERSION)"'

# What the target kernel's API offers, decided by compiling a probe per form
# against its headers (module/probes/), not by its version number:
# distribution kernels backport APIs.  module/compat.h maps the results.
# Absolute paths ($(src) is one): kernels since 6.13 build an external
# module from its own directory, older ones from the kernel's.
st-probes := $(sort $(wildcard $(src)/module/probes/*.c))
$(addprefix $(obj)/,$(swaptab-y)): $(src)/st_probes.h
$(src)/st_probes.h: $(st-probes) $(src)/module/probes/run.sh
	$(Q)$(CONFIG_SHELL) $(src)/module/probes/run.sh $@ $(src)/.probes \
		"$(MAKE)" $(objtree) "$(CC)" $(st-probes)
clean-files += st_probes.h .probes
