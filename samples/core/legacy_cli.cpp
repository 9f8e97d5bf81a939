// expect: scan.not-analysed -- C++ translation units are reported, not analysed
#include <string>

int run_cli(const std::string &line)
{
	return line.empty() ? 0 : 1;
}
