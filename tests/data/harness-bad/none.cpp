// expect-none -- on purpose: C++ gives scan.not-analysed
