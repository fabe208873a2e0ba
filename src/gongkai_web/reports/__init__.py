"""The report workspace, its workflow (草稿 → 待审核 → 已审核 → 已发布, 退回修改), public pages and history."""
