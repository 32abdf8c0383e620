# The KeOS-C++ development image: Debian 12 on x86-64 with every tool of `make`, `make run`,
# `make test`, `make unit` and `make gdb`, and clangd for editors. The tools are installed
# by scripts/setup.sh, the same script that installs them on a Debian machine, so the
# image and a native set-up cannot drift apart. The tree is not copied in: it is mounted
# (scripts/in-container, .devcontainer/). docs/platforms.md says how to use it.
#
#   docker build -t keos-dev .                         (Apple Silicon: --platform linux/amd64)
#   buildah bud --isolation chroot --build-arg BASE=localhost/debian-local:bookworm -t keos-dev .
#
# BASE: any Debian 12 (bookworm) root on amd64; the default is the public image.
ARG BASE=docker.io/library/debian:bookworm
FROM ${BASE}

ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
# The build context is scripts/setup.sh alone (.dockerignore).
COPY scripts/setup.sh /opt/keos/setup.sh
RUN /opt/keos/setup.sh --for "the image" image \
 && apt-get clean && rm -rf /var/lib/apt/lists/*

# `make gdb TEST=... GDB_PORT=1234 GDB_WAIT=1` waits for a debugger on this port.
EXPOSE 1234
WORKDIR /work
CMD ["bash"]
