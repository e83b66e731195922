#include "interfaces/management/schema_compile.h"

#include <libyang/libyang.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace plugfest::management {
namespace {

LY_ERR import_from_texts(const char* name, const char*, const char*, const char*, void* user_data,
                         LYS_INFORMAT* format, const char** module_data,
                         void (**free_module_data)(void*, void*)) {
  const auto* texts = static_cast<const ModuleTexts*>(user_data);
  auto found = texts->find(name);
  if (found == texts->end()) return LY_ENOTFOUND;
  *format = LYS_IN_YANG;
  *module_data = found->second.c_str();
  *free_module_data = nullptr;
  return LY_SUCCESS;
}

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// Runs in the child: reports "compiling <name>" before each module, and the libyang
// error after a failure, one line each.
[[noreturn]] void compile_and_exit(int report, const ModuleTexts& texts,
                                   const std::vector<std::string>& implement) {
  ly_log_options(LY_LOSTORE_LAST);
  ly_ctx* ctx = nullptr;
  if (ly_ctx_new(nullptr, LY_CTX_DISABLE_SEARCHDIRS, &ctx) != LY_SUCCESS) _exit(3);
  ly_ctx_set_module_imp_clb(ctx, import_from_texts, const_cast<ModuleTexts*>(&texts));
  for (const auto& name : implement) {
    write_all(report, "compiling " + name + "\n");
    auto found = texts.find(name);
    if (found == texts.end()) {
      write_all(report, "error the device did not provide the module\n");
      _exit(1);
    }
    lys_module* module = nullptr;
    if (lys_parse_mem(ctx, found->second.c_str(), LYS_IN_YANG, &module) != LY_SUCCESS) {
      const char* message = ly_errmsg(ctx);
      write_all(report, std::string("error ") + (message ? message : "cannot compile") + "\n");
      _exit(1);
    }
  }
  _exit(0);
}

}  // namespace

Result<void> compile_in_child(const ModuleTexts& texts, const std::vector<std::string>& implement) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return Error{"cannot create a pipe", "schema compilation"};
  pid_t child = fork();
  if (child < 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return Error{"cannot fork", "schema compilation"};
  }
  if (child == 0) {
    close(pipe_fds[0]);
    compile_and_exit(pipe_fds[1], texts, implement);
  }
  close(pipe_fds[1]);
  std::string report;
  char buffer[512];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0)
    report.append(buffer, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);

  std::string module;
  std::string error;
  std::size_t start = 0;
  while (start < report.size()) {
    std::size_t end = report.find('\n', start);
    std::string line = report.substr(start, end - start);
    if (line.rfind("compiling ", 0) == 0) module = line.substr(10);
    if (line.rfind("error ", 0) == 0) error = line.substr(6);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::string where = module.empty() ? "schema compilation" : "module " + module;
  if (WIFSIGNALED(status)) {
    return Error{"libyang crashed (signal " + std::to_string(WTERMSIG(status)) + ", " +
                     strsignal(WTERMSIG(status)) + ") while compiling this module",
                 where};
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error{error.empty() ? "compilation failed" : error, where};
  }
  return {};
}

}  // namespace plugfest::management
