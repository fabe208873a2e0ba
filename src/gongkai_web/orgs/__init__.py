"""Agencies (a tree: 省/市/县/乡镇 governments, offices, departments, 派出机关) and the people in them."""
