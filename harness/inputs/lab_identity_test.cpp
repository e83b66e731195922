#include "harness/inputs/lab_identity.h"

#include <gtest/gtest.h>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

using plugfest::testing::TempDir;

TEST(LabIdentity, ReadsNameAddressAndContacts) {
  TempDir dir;
  const auto file = dir.write("lab.yaml", R"(
name: Fjord Interop Lab
address: Harbour Road 1
contacts:
  - {first_name: Ada, last_name: Lund, email: ada@lab.example, organization: Fjord Labs}
  - {first_name: Bo, last_name: Strand, email: bo@lab.example, phone: "+47 000"}
)");
  Diagnostics d;
  const auto lab = load_lab_identity(file, d);
  ASSERT_TRUE(lab) << d.to_string();
  EXPECT_EQ(lab->name, "Fjord Interop Lab");
  ASSERT_EQ(lab->contacts.size(), 2u);
  EXPECT_EQ(lab->contacts[0].organization, "Fjord Labs");
  EXPECT_EQ(lab->contacts[1].phone, "+47 000");
}

struct BadLab {
  const char* name;
  const char* yaml;
  const char* where;
  const char* message;
};

class LabIdentityBad : public ::testing::TestWithParam<BadLab> {};

TEST_P(LabIdentityBad, NamesWhereAndWhat) {
  TempDir dir;
  const auto file = dir.write("lab.yaml", GetParam().yaml);
  Diagnostics d;
  EXPECT_FALSE(load_lab_identity(file, d));
  ASSERT_FALSE(d.errors().empty());
  const std::string text = d.to_string();
  EXPECT_NE(text.find(std::string("lab.yaml:") + GetParam().where), std::string::npos) << text;
  EXPECT_NE(text.find(GetParam().message), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(
    Files, LabIdentityBad,
    ::testing::Values(
        BadLab{"no_contacts", "name: L\naddress: A\n", "1:1", "contacts"},
        BadLab{"empty_contacts", "name: L\naddress: A\ncontacts: []\n", "3:11",
               "at least one contact"},
        BadLab{"bad_email",
               "name: L\naddress: A\ncontacts: [{first_name: a, last_name: b, email: nobody}]\n",
               "3:42", "is not an address"},
        BadLab{"unknown_key", "name: L\nadress: A\ncontacts: []\n", "2:1", "did you mean"},
        BadLab{"empty_name", "name: ''\naddress: A\n", "1:7", "non-empty string"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace plugfest::harness
